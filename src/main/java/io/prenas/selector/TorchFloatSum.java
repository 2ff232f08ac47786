package io.prenas.selector;

/**
 * The float32 result of PyTorch's CPU {@code tensor.sum()} over a contiguous tensor (ATen {@code cascade_sum},
 * single thread), reproduced operation for operation so that reference-compatible scores are bit-identical rather
 * than merely close. The order is: SIMD lanes of {@code lanes} floats, four interleaved accumulators (ILP), and a
 * 4-level cascade that adds blocks of 16 rows; then the scalar tail, then the lanes left to right.
 *
 * <p>Why bother: the reference's candidate score is a float32 running sum of per-tensor float32 sums, so a one-ulp
 * difference in a tensor sum can show as a one-ulp difference in a published score.
 */
public final class TorchFloatSum {

  private static final int ILP = 4;
  private static final int LEVELS = 4;

  /** AVX2 {@code Vectorized<float>} width. */
  public static final int AVX2_LANES = 8;

  private TorchFloatSum() {}

  /** Sum of {@code x[0..n)} as PyTorch computes it with {@code lanes}-wide vectors. */
  public static float sum(float[] x, int n, int lanes) {
    if (n < lanes) {
      return rowSum(x, n, 1);
    }
    int vecSize = n / lanes;
    float[] vecAcc = rowSumVectors(x, vecSize, lanes);
    float total = 0f;
    for (int k = vecSize * lanes; k < n; k++) total += x[k];
    for (int lane = 0; lane < lanes; lane++) total += vecAcc[lane];
    return total;
  }

  /** {@code row_sum} over {@code size} items of {@code width} floats each (width 1 = scalars); returns lane 0. */
  private static float rowSum(float[] x, int size, int width) {
    return rowSumVectors(x, size, width)[0];
  }

  /** {@code row_sum<Vectorized>}: items are consecutive groups of {@code width} floats, summed lane-wise. */
  private static float[] rowSumVectors(float[] x, int size, int width) {
    int sizeIlp = size / ILP;
    float[][] partial = multiRowSum(x, sizeIlp, width);
    for (int i = sizeIlp * ILP; i < size; i++) addItem(partial[0], x, i, width);
    for (int k = 1; k < ILP; k++) addInto(partial[0], partial[k]);
    return partial[0];
  }

  /** {@code multi_row_sum} with nrows = ILP: row i holds items {@code 4i .. 4i+3}, one accumulator per column. */
  private static float[][] multiRowSum(float[] x, int size, int width) {
    int levelPower = Math.max(4, ceilLog2(size) / LEVELS);
    int levelStep = 1 << levelPower;
    long levelMask = levelStep - 1L;
    float[][][] acc = new float[LEVELS][ILP][width];
    int i = 0;
    while (i + levelStep <= size) {
      for (int j = 0; j < levelStep; j++, i++) {
        for (int k = 0; k < ILP; k++) addItem(acc[0][k], x, i * ILP + k, width);
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int k = 0; k < ILP; k++) {
          addInto(acc[j][k], acc[j - 1][k]);
          java.util.Arrays.fill(acc[j - 1][k], 0f);
        }
        if ((i & (levelMask << (j * levelPower))) != 0) break;
      }
    }
    for (; i < size; i++) {
      for (int k = 0; k < ILP; k++) addItem(acc[0][k], x, i * ILP + k, width);
    }
    for (int j = 1; j < LEVELS; j++) {
      for (int k = 0; k < ILP; k++) addInto(acc[0][k], acc[j][k]);
    }
    return acc[0];
  }

  private static void addItem(float[] acc, float[] x, int item, int width) {
    int base = item * width;
    for (int lane = 0; lane < width; lane++) acc[lane] += x[base + lane];
  }

  private static void addInto(float[] acc, float[] other) {
    for (int lane = 0; lane < acc.length; lane++) acc[lane] += other[lane];
  }

  /** ATen's {@code CeilLog2}: 1 for x ≤ 2, else ⌈log2 x⌉. */
  public static int ceilLog2(long x) {
    if (x <= 2) return 1;
    return 64 - Long.numberOfLeadingZeros(x - 1);
  }
}
