package io.prenas.vit.space;

import io.prenas.space.SpaceException;
import java.util.List;

/**
 * Checks that choices fit the supernet tensors: every architecture of a space is a leading slice of the
 * {@code SUPERNET} tensors, so no choice may exceed them (spec 2.3).
 */
final class SupernetBounds {

  private final SupernetDims supernet;

  SupernetBounds(SupernetDims supernet) {
    this.supernet = supernet;
  }

  void checkEmbedDims(List<Integer> embedDims, String path) {
    for (int e : embedDims) {
      if (e > supernet.embedDim()) {
        throw new SpaceException(path, "embed dim " + e + " is above SUPERNET.EMBED_DIM " + supernet.embedDim());
      }
    }
  }

  void checkDepths(List<Integer> depths, String path) {
    for (int d : depths) {
      if (d > supernet.depth()) {
        throw new SpaceException(path, "depth " + d + " is above SUPERNET.DEPTH " + supernet.depth());
      }
    }
  }

  void checkHeads(List<Integer> heads, String path) {
    for (int h : heads) {
      if (h > supernet.numHeads()) {
        throw new SpaceException(path, h + " heads is above SUPERNET.NUM_HEADS " + supernet.numHeads());
      }
      // q, k and v take 64 features per head out of the E_s-wide qkv projection.
      if (h * SupernetDims.HEAD_DIM > supernet.embedDim()) {
        throw new SpaceException(path, h + " heads need " + h * SupernetDims.HEAD_DIM
            + " features, above SUPERNET.EMBED_DIM " + supernet.embedDim());
      }
    }
  }

  void checkRatios(List<Double> ratios, String path) {
    for (double r : ratios) {
      if (r > supernet.mlpRatio()) {
        throw new SpaceException(path, "mlp ratio " + r + " is above SUPERNET.MLP_RATIO " + supernet.mlpRatio());
      }
    }
  }
}
