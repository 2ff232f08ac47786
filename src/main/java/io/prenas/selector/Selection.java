package io.prenas.selector;

import io.prenas.space.ResourceBins;
import java.util.List;

/**
 * The outcome of a selection: for every non-empty bin, in ascending order, its candidates ranked by score and the
 * kept top-N. Candidates outside every bin are counted, not kept.
 *
 * <p>{@code enumerated} is the number of architectures the selection ranked (a ViT: one per isomer group; a CNN: every
 * architecture of the space, ranked exactly without being listed), {@code outsideBins} how many of them fall in no bin.
 * A family that selects exactly without listing its candidates keeps only each bin's top-N in {@code ranked}.
 */
public record Selection(SelectionSettings settings, ResourceBins bins, List<BinResult> nonEmptyBins, long enumerated,
    long outsideBins) {

  public Selection {
    nonEmptyBins = List.copyOf(nonEmptyBins);
  }

  /** One bin: all its candidates by descending score (ties in enumeration order) and the first {@code topN}. */
  public record BinResult(ResourceBins.Bin bin, List<ScoredCandidate> ranked, int topN) {
    public BinResult {
      ranked = List.copyOf(ranked);
    }

    public List<ScoredCandidate> top() {
      return ranked.subList(0, Math.min(topN, ranked.size()));
    }
  }

  /** Every kept candidate, bin by bin. */
  public List<ScoredCandidate> selected() {
    return nonEmptyBins.stream().flatMap(b -> b.top().stream()).toList();
  }
}
