package io.prenas.selector;

import io.prenas.space.SearchSpace;

/**
 * The zero-cost selection port a model family implements (handed out by
 * {@code ModelFamily.port(CandidateSelection.class)}): from the weights and gradients of the gradient pass, the scored
 * candidates of the space and the top-N of each bin. The family decides which architectures are candidates (the ViT
 * family: one greedily allocated architecture per isomer group) and how they are scored; binning and ranking are the
 * shared {@link PreferredSelector#select}, unless a family can select exactly without listing its candidates.
 */
public interface CandidateSelection {

  /**
   * Runs the family's selection phases, each announced through {@code phases} under its own name.
   *
   * @param threads partial sums are computed on this many threads (1 = the calling thread only)
   * @throws SelectorException when the inputs do not fit the space or no candidate falls in any bin
   */
  ZeroCostSelector.Outcome select(SearchSpace space, SnipInputs inputs, ScoreMode mode, SelectionSettings settings,
      int threads, Phases phases);

  /**
   * The same bins with each bin's top-N by another {@link PreferredSelector.Ranking} (the baselines the selector is
   * compared with). Each kept architecture still carries its zero-cost score. This default re-ranks what
   * {@link #select} listed, which is the whole bin for a family that lists every candidate; a family that keeps only
   * each bin's top-N by score overrides it and searches the bin itself.
   *
   * @param seed seeds {@link PreferredSelector.Ranking#RANDOM}
   */
  default ZeroCostSelector.Outcome select(SearchSpace space, SnipInputs inputs, ScoreMode mode,
      SelectionSettings settings, int threads, Phases phases, PreferredSelector.Ranking ranking, long seed) {
    ZeroCostSelector.Outcome outcome = select(space, inputs, mode, settings, threads, phases);
    return new ZeroCostSelector.Outcome(outcome.candidates(),
        PreferredSelector.rerank(outcome.selection(), ranking, seed));
  }
}
