package io.prenas.supernet;

import java.util.Random;

/**
 * {@link Random}'s exact sequence (same seed, same values from every method) for one thread. {@code Random} keeps
 * its seed in an {@code AtomicLong} and synchronises {@code nextGaussian}, so each draw pays for a compare-and-set
 * and a lock; the data-free batch of the gradient pass draws 9.6 million Gaussians (64 images at 224), which took
 * about 1 s that way and takes about 0.4 s here (the seeded supernet inits draw millions more). The linear congruential step and the polar method below are the
 * ones {@code Random} documents, with {@code StrictMath} as it uses, so the values are the same to the bit
 * ({@code SingleThreadRandomTest}).
 */
public final class SingleThreadRandom extends Random {

  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;

  // Set by setSeed, which Random's constructor calls: no field initialisers, they would run after it.
  private long state;
  private double nextNextGaussian;
  private boolean haveNextNextGaussian;

  public SingleThreadRandom(long seed) {
    super(seed);
  }

  @Override
  public void setSeed(long seed) {
    state = (seed ^ MULTIPLIER) & MASK;
    haveNextNextGaussian = false;
  }

  @Override
  protected int next(int bits) {
    state = (state * MULTIPLIER + ADDEND) & MASK;
    return (int) (state >>> (48 - bits));
  }

  @Override
  public double nextGaussian() {
    if (haveNextNextGaussian) {
      haveNextNextGaussian = false;
      return nextNextGaussian;
    }
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * nextDouble() - 1;
      v2 = 2 * nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    nextNextGaussian = v2 * multiplier;
    haveNextNextGaussian = true;
    return v1 * multiplier;
  }
}
