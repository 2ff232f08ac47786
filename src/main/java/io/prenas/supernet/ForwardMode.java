package io.prenas.supernet;

import java.util.Random;

/**
 * Evaluation or training behaviour of a forward pass. For a ViT only drop-path differs (dropout is 0 in the
 * reference recipe): in training, block i of a supernet of {@code blocks} blocks drops its residual branch per sample
 * with probability {@code linspace(0, dropPathRate, blocks)[i]}, tied to the supernet's block index as in the
 * reference. A family with BatchNorm normalises with batch statistics (and updates its running statistics) in
 * training, with the stored ones in evaluation; a family with dropout before its classifier applies it in training
 * unless {@code dropout} is off (the zero-cost gradient pass turns it off). The per-sample draws come from a seeded
 * {@link Random} so that a training pass is reproducible. {@code precision} is the number format of the pass's
 * matrix products ({@link Precision}); FP32 unless a mode is made {@link #withPrecision}.
 */
public record ForwardMode(boolean training, double dropPathRate, Random random, boolean dropout,
    Precision precision) {

  private static final ForwardMode EVAL = new ForwardMode(false, 0, null, false);

  public ForwardMode {
    if (dropPathRate < 0 || dropPathRate >= 1) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + dropPathRate);
    }
    java.util.Objects.requireNonNull(precision, "precision");
  }

  /** A float32 mode. */
  public ForwardMode(boolean training, double dropPathRate, Random random, boolean dropout) {
    this(training, dropPathRate, random, dropout, Precision.FP32);
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
    return new ForwardMode(training, dropPathRate, random, false, precision);
  }

  /** The same mode computing its matrix products in {@code precision}. */
  public ForwardMode withPrecision(Precision precision) {
    return new ForwardMode(training, dropPathRate, random, dropout, precision);
  }

  /** Drop-path probability of block {@code block} of {@code blocks}: {@code torch.linspace(0, rate, blocks)[block]}. */
  public double dropPathRate(int block, int blocks) {
    if (!training || blocks < 2) {
      return 0;
    }
    return dropPathRate * block / (blocks - 1);
  }
}
