package io.prenas.cnn.space;

import java.util.List;

/**
 * One MBConv stage of a CNN space: expand ratio t (1 = MBConv1, no expand conv), the choices of width, depth and
 * per-layer kernel (each ascending), and the stride of its first layer.
 */
public record StageChoices(int expand, List<Integer> widths, List<Integer> depths, List<Integer> kernels, int stride) {

  public StageChoices {
    widths = List.copyOf(widths);
    depths = List.copyOf(depths);
    kernels = List.copyOf(kernels);
  }

  /** The supernet keeps this many layer slots: the deepest depth. */
  public int maxDepth() {
    return depths.get(depths.size() - 1);
  }

  public int maxWidth() {
    return widths.get(widths.size() - 1);
  }

  /** Stride of layer {@code j}: the stage's stride on its first layer, 1 after. */
  public int strideOf(int layer) {
    return layer == 0 ? stride : 1;
  }
}
