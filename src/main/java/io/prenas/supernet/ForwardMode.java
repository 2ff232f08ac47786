package io.prenas.supernet;

import java.util.Random;

/**
 * Evaluation or training behaviour of a forward pass. For a ViT only drop-path differs (dropout is 0 in the
 * reference recipe): in training, block i of a supernet of {@code blocks} blocks drops its residual branch per sample
 * with probability {@code linspace(0, dropPathRate, blocks)[i]}, tied to the supernet's block index as in the
 * reference. A family with BatchNorm normalises with batch statistics (and updates its running statistics) in
 * training, with the stored ones in evaluation; a family with dropout before its classifier applies it in training
 * unless {@code dropout} is off (the zero-cost gradient pass turns it off). The per-sample draws come from a seeded
 * {@link Random} so that a training pass is reproducible.
 */
public record ForwardMode(boolean training, double dropPathRate, Random random, boolean dropout) {

  private static final ForwardMode EVAL = new ForwardMode(false, 0, null, false);

  public ForwardMode {
    if (dropPathRate < 0 || dropPathRate >= 1) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + dropPathRate);
    }
  }

  /** A mode with dropout as in training (drop-path and dropout alike). */
  public ForwardMode(boolean training, double dropPathRate, Random random) {
    this(training, dropPathRate, random, training);
  }

  public static ForwardMode eval() {
    return EVAL;
  }

  public static ForwardMode training(double dropPathRate, long seed) {
    return new ForwardMode(true, dropPathRate, new Random(seed));
  }

  /** The same mode without dropout (a family's classifier dropout; drop-path is unchanged). */
  public ForwardMode withoutDropout() {
    return new ForwardMode(training, dropPathRate, random, false);
  }

  /** Drop-path probability of block {@code block} of {@code blocks}: {@code torch.linspace(0, rate, blocks)[block]}. */
  public double dropPathRate(int block, int blocks) {
    if (!training || blocks < 2) {
      return 0;
    }
    return dropPathRate * block / (blocks - 1);
  }
}
