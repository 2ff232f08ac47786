package io.prenas.selector;

/**
 * Sums of |θ·g| (or |θ|, |g|) over the leading rectangles {@code [0, rowCut) × [0, colCut)} of a row-major matrix,
 * for several cuts at once and in a single pass over the data. Every slice the selector needs is such a leading
 * rectangle (the interleaved qkv rows of h heads are exactly the rows below {@code 3·64·h}), so one pass per tensor
 * replaces slicing the tensor once per candidate.
 *
 * <p>The product θ·g is rounded to float32 before its absolute value is taken, as a float32 tensor engine does;
 * the sums themselves are kept in double, so the only difference from a float32 reference is its own summation
 * error.
 */
public final class RegionSums {

  private RegionSums() {}

  /** What is summed per element. */
  public enum Term {
    ABS_PRODUCT, ABS_WEIGHT, ABS_GRAD
  }

  /**
   * {@code out[a][b] = Σ_{r < rowCuts[a], c < colCuts[b]} term(r, c)}. Cuts must be within the matrix; they need not
   * be sorted or distinct.
   */
  public static double[][] leading(float[] w, float[] g, int rows, int cols, int[] rowCuts, int[] colCuts, Term term) {
    int[] colOrder = sortedDistinct(colCuts, cols, "column");
    int[] rowOrder = sortedDistinct(rowCuts, rows, "row");
    double[] running = new double[colOrder.length];
    double[][] atRowCut = new double[rowOrder.length][];
    int nextRowCut = 0;
    while (nextRowCut < rowOrder.length && rowOrder[nextRowCut] == 0) {
      atRowCut[nextRowCut++] = running.clone();
    }
    int lastRow = rowOrder.length == 0 ? 0 : rowOrder[rowOrder.length - 1];
    for (int r = 0; r < lastRow; r++) {
      int base = r * cols;
      double acc = 0;
      int c = 0;
      for (int k = 0; k < colOrder.length; k++) {
        int end = colOrder[k];
        acc += sum(w, g, base + c, base + end, term);
        c = end;
        running[k] += acc;
      }
      while (nextRowCut < rowOrder.length && rowOrder[nextRowCut] == r + 1) {
        atRowCut[nextRowCut++] = running.clone();
      }
    }
    double[][] out = new double[rowCuts.length][colCuts.length];
    for (int a = 0; a < rowCuts.length; a++) {
      double[] row = atRowCut[indexOf(rowOrder, rowCuts[a])];
      for (int b = 0; b < colCuts.length; b++) {
        out[a][b] = row[indexOf(colOrder, colCuts[b])];
      }
    }
    return out;
  }

  /** Sums over the leading {@code cut} elements of a vector, for several cuts. */
  public static double[] leading(float[] w, float[] g, int[] cuts, Term term) {
    double[][] m = leading(w, g, 1, w.length, new int[] {1}, cuts, term);
    return m[0];
  }

  /** Sum over the whole array. */
  public static double total(float[] w, float[] g, Term term) {
    return sum(w, g, 0, w.length, term);
  }

  /** Column sums of a row-major matrix over all rows (e.g. pos_embed summed over tokens). */
  public static double[] columnTotals(float[] w, float[] g, int rows, int cols, Term term) {
    double[] out = new double[cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c] += element(w, g, r * cols + c, term);
      }
    }
    return out;
  }

  private static double sum(float[] w, float[] g, int from, int to, Term term) {
    double acc = 0;
    switch (term) {
      case ABS_PRODUCT -> {
        for (int i = from; i < to; i++) {
          acc += Math.abs(w[i] * g[i]); // float multiply: rounded like a float32 engine
        }
      }
      case ABS_WEIGHT -> {
        for (int i = from; i < to; i++) {
          acc += Math.abs(w[i]);
        }
      }
      case ABS_GRAD -> {
        for (int i = from; i < to; i++) {
          acc += Math.abs(g[i]);
        }
      }
      default -> throw new IllegalStateException();
    }
    return acc;
  }

  private static double element(float[] w, float[] g, int i, Term term) {
    return switch (term) {
      case ABS_PRODUCT -> Math.abs(w[i] * g[i]);
      case ABS_WEIGHT -> Math.abs(w[i]);
      case ABS_GRAD -> Math.abs(g[i]);
    };
  }

  private static int[] sortedDistinct(int[] cuts, int limit, String what) {
    for (int cut : cuts) {
      if (cut < 0 || cut > limit) {
        throw new SelectorException(what + " slice " + cut + " is outside the tensor (size " + limit + ")");
      }
    }
    return java.util.Arrays.stream(cuts).distinct().sorted().toArray();
  }

  private static int indexOf(int[] sorted, int value) {
    return java.util.Arrays.binarySearch(sorted, value);
  }
}
