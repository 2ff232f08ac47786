package io.prenas.selector;

import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import java.util.List;

/**
 * The selector after the gradient pass: the space's family scores its candidates (for a ViT: layer-normalised SNIP
 * block scores, the per-slice partial sums, one greedily allocated architecture per isomer group with its score),
 * then the bins and top-N. Each phase is announced to the given {@link PhaseListener} under its own name, with its
 * wall time when it ends.
 */
public final class ZeroCostSelector {

  /** Phase names, as they appear in timings and benchmark results. */
  public static final String BLOCK_SCORES = "block_scores";
  public static final String PRECOMPUTE = "precompute";
  public static final String ENUMERATE_AND_SCORE = "enumerate_and_score";
  public static final String SELECT = "bin_and_select";

  private ZeroCostSelector() {}

  /** Everything the run produced: every scored candidate and the selection. */
  public record Outcome(List<ScoredCandidate> candidates, Selection selection) {}

  public static Outcome run(SearchSpace space, SnipInputs inputs, ScoreMode mode, SelectionSettings settings,
      int threads, PhaseListener listener) {
    return ModelFamilies.port(space, CandidateSelection.class)
        .select(space, inputs, mode, settings, threads, new Phases(listener));
  }

  /** The same run with each bin's top-N by {@code ranking} (seeded by {@code seed} when random). */
  public static Outcome run(SearchSpace space, SnipInputs inputs, ScoreMode mode, SelectionSettings settings,
      int threads, PhaseListener listener, PreferredSelector.Ranking ranking, long seed) {
    return ModelFamilies.port(space, CandidateSelection.class)
        .select(space, inputs, mode, settings, threads, new Phases(listener), ranking, seed);
  }
}
