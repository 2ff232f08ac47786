package io.prenas.cnn.space;

import io.prenas.space.SpaceException;
import java.util.List;

/** One stage of a CNN architecture: its width, its depth and one kernel per layer. */
public record StageConfig(int width, int depth, List<Integer> kernels) {

  /** Kernels the canonical id can write: one odd digit per layer (spec §1, §3). */
  static final List<Integer> WRITABLE_KERNELS = List.of(1, 3, 5, 7, 9);

  public StageConfig {
    if (width <= 0) {
      throw new SpaceException("width", "must be positive, got " + width);
    }
    if (depth <= 0) {
      throw new SpaceException("depth", "must be positive, got " + depth);
    }
    if (kernels == null || kernels.size() != depth) {
      throw new SpaceException("kernels", "needs one kernel per layer (depth " + depth + "), got "
          + (kernels == null ? "none" : kernels.size()));
    }
    kernels = List.copyOf(kernels);
    for (int j = 0; j < depth; j++) {
      if (!WRITABLE_KERNELS.contains(kernels.get(j))) {
        throw new SpaceException("kernels[" + j + "]", "must be one of " + WRITABLE_KERNELS + ", got " + kernels.get(j));
      }
    }
  }

  public int kernel(int layer) {
    return kernels.get(layer);
  }
}
