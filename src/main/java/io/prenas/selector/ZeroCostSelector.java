package io.prenas.selector;

import io.prenas.space.SearchSpace;
import java.util.List;
import java.util.function.Supplier;

/**
 * The selector after the gradient pass, phase by phase: layer-normalised SNIP block scores, the per-slice partial
 * sums, enumeration of one greedily allocated architecture per isomer group with its score, then bins and top-N.
 * Each phase is announced to the given {@link PhaseListener} under its own name, with its wall time when it ends.
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
      int threads, PhaseListener listener) {
    BlockScoreTable blocks = phase(listener, BLOCK_SCORES, () -> LayerNormalisedSnip.compute(space, inputs));
    CandidateScorer scorer = phase(listener, PRECOMPUTE,
        () -> CandidateScorer.precompute(space, inputs, mode, threads));
    List<ScoredCandidate> candidates = phase(listener, ENUMERATE_AND_SCORE,
        () -> PreferredSelector.enumerateAndScore(space, blocks, scorer));
    Selection selection = phase(listener, SELECT, () -> PreferredSelector.select(candidates, settings));
    return new Outcome(blocks, candidates, selection);
  }

  private static <T> T phase(PhaseListener listener, String name, Supplier<T> work) {
    listener.started(name);
    long t0 = System.nanoTime();
    T result = work.get();
    listener.finished(name, System.nanoTime() - t0);
    return result;
  }
}
