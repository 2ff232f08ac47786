package io.prenas.vit.space;

import java.util.List;

/**
 * Choices of one embedding width in a reduced ("layer-wise") space, the format the reference's
 * {@code candidates_to_choices.py} writes: the allowed depths, and for each layer index the allowed MLP ratios and
 * head counts. Lists are indexed by layer and cover the deepest allowed depth.
 */
public record LayerwiseChoices(List<Integer> depths, List<List<Double>> mlpRatiosPerLayer,
    List<List<Integer>> numHeadsPerLayer) {

  public LayerwiseChoices {
    depths = List.copyOf(depths);
    mlpRatiosPerLayer = mlpRatiosPerLayer.stream().map(List::copyOf).toList();
    numHeadsPerLayer = numHeadsPerLayer.stream().map(List::copyOf).toList();
  }

  public int maxDepth() {
    return depths.stream().mapToInt(Integer::intValue).max().orElse(0);
  }
}
