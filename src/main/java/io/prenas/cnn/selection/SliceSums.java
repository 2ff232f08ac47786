package io.prenas.cnn.selection;

/**
 * Σ|θ·g| over a leading slice of one stored tensor, in float64: each float32 value is promoted before the product
 * (spec cnn-space §8). Tensors are row-major with their full (max) shapes; slices take the first entries of every
 * channel axis and the centre of a kernel.
 */
final class SliceSums {

  private SliceSums() {}

  /** The first {@code n} entries of a vector. */
  static double vector(float[] w, float[] g, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.abs((double) w[i] * (double) g[i]);
    }
    return sum;
  }

  /**
   * A conv weight of stored shape (O, I, K, K): the first {@code rows} outputs, the first {@code cols} inputs and the
   * centre k×k of the K×K kernel (offset (K − k)/2).
   */
  static double conv(float[] w, float[] g, int inMax, int kMax, int rows, int cols, int k) {
    int offset = (kMax - k) / 2;
    int kk = kMax * kMax;
    double sum = 0;
    for (int o = 0; o < rows; o++) {
      for (int i = 0; i < cols; i++) {
        int base = (o * inMax + i) * kk;
        for (int y = offset; y < offset + k; y++) {
          int row = base + y * kMax;
          for (int x = offset; x < offset + k; x++) {
            sum += Math.abs((double) w[row + x] * (double) g[row + x]);
          }
        }
      }
    }
    return sum;
  }

  /** A matrix of stored shape (R, C) (or (R, C, 1, 1)): the first {@code rows} rows and the first {@code cols} columns. */
  static double matrix(float[] w, float[] g, int colsMax, int rows, int cols) {
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * colsMax;
      for (int c = 0; c < cols; c++) {
        sum += Math.abs((double) w[base + c] * (double) g[base + c]);
      }
    }
    return sum;
  }
}
