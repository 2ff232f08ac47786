package io.prenas.supernet;

import java.util.Random;

/**
 * Evaluation or training behaviour of a forward pass. Only drop-path differs (dropout is 0 in the reference
 * recipe): in training, block i of a supernet of {@code blocks} blocks drops its residual branch per sample with
 * probability {@code linspace(0, dropPathRate, blocks)[i]}, tied to the supernet's block index as in the reference.
 * The per-sample draws come from a seeded {@link Random} so that a training pass is reproducible.
 */
public record ForwardMode(boolean training, double dropPathRate, Random random) {

  private static final ForwardMode EVAL = new ForwardMode(false, 0, null);

  public ForwardMode {
    if (dropPathRate < 0 || dropPathRate >= 1) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + dropPathRate);
    }
  }

  public static ForwardMode eval() {
    return EVAL;
  }

  public static ForwardMode training(double dropPathRate, long seed) {
    return new ForwardMode(true, dropPathRate, new Random(seed));
  }

  /** Drop-path probability of block {@code block} of {@code blocks}: {@code torch.linspace(0, rate, blocks)[block]}. */
  public double dropPathRate(int block, int blocks) {
    if (!training || blocks < 2) {
      return 0;
    }
    return dropPathRate * block / (blocks - 1);
  }
}
