package io.prenas.supernet;

import java.util.Random;

/**
 * Evaluation or training behaviour of a forward pass. Only drop-path differs (dropout is 0 in the reference
 * recipe): in training, block i drops its residual branch per sample with probability
 * {@code linspace(0, dropPathRate, superDepth)[i]}, tied to the supernet's layer index as in the reference.
 * The per-sample draws come from a seeded {@link Random} so that a training pass is reproducible.
 */
record ForwardMode(boolean training, double dropPathRate, int superDepth, Random random) {

  private static final ForwardMode EVAL = new ForwardMode(false, 0, 1, null);

  ForwardMode {
    if (dropPathRate < 0 || dropPathRate >= 1) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + dropPathRate);
    }
  }

  static ForwardMode eval() {
    return EVAL;
  }

  static ForwardMode training(double dropPathRate, int superDepth, long seed) {
    return new ForwardMode(true, dropPathRate, superDepth, new Random(seed));
  }

  /** Drop-path probability of block {@code layer}: {@code torch.linspace(0, rate, superDepth)[layer]}. */
  double dropPathRate(int layer) {
    if (!training || superDepth < 2) {
      return 0;
    }
    return dropPathRate * layer / (superDepth - 1);
  }
}
