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
}
