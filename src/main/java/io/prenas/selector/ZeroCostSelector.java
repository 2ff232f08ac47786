package io.prenas.selector;

import io.prenas.space.SearchSpace;
import java.util.List;

/**
 * The selector after the gradient pass, phase by phase: layer-normalised SNIP block scores, the per-slice partial
 * sums, enumeration of one greedily allocated architecture per isomer group with its score, then bins and top-N.
 * Each phase is timed under its own name in the given {@link PhaseTimes}.
 */
public final class ZeroCostSelector {

  /** Phase names, as they appear in timings and benchmark results. */
  public static final String BLOCK_SCORES = "block_scores";
  public static final String PRECOMPUTE = "precompute";
  public static final String ENUMERATE_AND_SCORE = "enumerate_and_score";
  public static final String SELECT = "bin_and_select";

  private ZeroCostSelector() {}

  /** Everything the run produced: the block scores, every scored candidate and the selection. */
  public record Outcome(BlockScoreTable blockScores, List<ScoredCandidate> candidates, Selection selection) {}

  public static Outcome run(SearchSpace space, SnipInputs inputs, ScoreMode mode, SelectionSettings settings,
      int threads, PhaseTimes times) {
    BlockScoreTable blocks = times.time(BLOCK_SCORES, () -> LayerNormalisedSnip.compute(space, inputs));
    CandidateScorer scorer = times.time(PRECOMPUTE,
        () -> CandidateScorer.precompute(space, inputs, mode, threads));
    List<ScoredCandidate> candidates = times.time(ENUMERATE_AND_SCORE,
        () -> PreferredSelector.enumerateAndScore(space, blocks, scorer));
    Selection selection = times.time(SELECT, () -> PreferredSelector.select(candidates, settings));
    return new Outcome(blocks, candidates, selection);
  }
}
