package io.prenas.vit.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's greedy isomer allocation ({@code Searcher.reallocate}, spec 4.3, the paper's Algorithm 1): given
 * how many layers take each choice, decide which layers take which, largest choice first, by per-layer scores.
 *
 * <p>For k = K-1 down to 1 the layers are ranked by {@code s_k[i] * (assigned ? -1 : +1)} and the first
 * {@code counts[k]} get choice k; layers never assigned take choice 0. The ranking is numpy's
 * {@code argsort()[::-1]}: descending, and for equal values the higher layer index first (the fixture README's rule;
 * numpy's unstable sort gives no guarantee, so this port fixes the stable-sort-reversed order). Comparisons are
 * numeric, so {@code -0.0} and {@code 0.0} tie as in numpy.
 */
public final class GreedyAllocator {

  private GreedyAllocator() {}

  /**
   * Per-layer choice indices (0 = smallest choice).
   *
   * @param depth number of layers D
   * @param counts layers per choice, in ascending choice order; they must sum to D
   * @param scoresAboveSmallest per-layer scores for choices 1..K-1 ({@code scoresAboveSmallest.get(k - 1)} is choice
   *     k's), each of length at least D; only the first D values are used
   */
  public static int[] allocateIndices(int depth, int[] counts, List<double[]> scoresAboveSmallest) {
    validate(depth, counts, scoresAboveSmallest);
    int[] conf = new int[depth];
    boolean[] assigned = new boolean[depth];
    for (int k = counts.length - 1; k >= 1; k--) {
      double[] scores = scoresAboveSmallest.get(k - 1);
      double[] signed = new double[depth];
      for (int i = 0; i < depth; i++) {
        // Already assigned layers sink to the bottom (for positive scores) so each layer is normally taken once.
        signed[i] = assigned[i] ? -scores[i] : scores[i];
      }
      Integer[] order = descendingOrder(signed);
      for (int j = 0; j < counts[k]; j++) {
        conf[order[j]] = k;
        assigned[order[j]] = true;
      }
    }
    return conf;
  }

  /** Like {@link #allocateIndices}, mapped to the choice values ({@code choicesAscending} has K values). */
  public static <T> List<T> allocate(int depth, List<T> choicesAscending, int[] counts,
      List<double[]> scoresAboveSmallest) {
    if (choicesAscending.size() != counts.length) {
      throw new IllegalArgumentException("counts has " + counts.length + " entries for " + choicesAscending.size()
          + " choices " + choicesAscending);
    }
    List<T> result = new ArrayList<>(depth);
    for (int index : allocateIndices(depth, counts, scoresAboveSmallest)) {
      result.add(choicesAscending.get(index));
    }
    return result;
  }

  /** numpy {@code argsort()[::-1]}: by value descending, equal values with the higher index first. */
  private static Integer[] descendingOrder(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      double va = values[a];
      double vb = values[b];
      if (va > vb) {
        return -1;
      }
      if (va < vb) {
        return 1;
      }
      return Integer.compare(b, a);
    });
    return order;
  }

  private static void validate(int depth, int[] counts, List<double[]> scores) {
    if (depth <= 0) {
      throw new IllegalArgumentException("depth must be positive, got " + depth);
    }
    if (counts.length == 0) {
      throw new IllegalArgumentException("need at least one choice");
    }
    int sum = 0;
    for (int c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative count in " + Arrays.toString(counts));
      }
      sum += c;
    }
    if (sum != depth) {
      throw new IllegalArgumentException("counts " + Arrays.toString(counts) + " sum to " + sum + ", not depth " + depth);
    }
    if (scores.size() != counts.length - 1) {
      throw new IllegalArgumentException("need scores for the " + (counts.length - 1) + " non-smallest choices, got "
          + scores.size());
    }
    for (int k = 0; k < scores.size(); k++) {
      double[] s = scores.get(k);
      if (s == null || s.length < depth) {
        throw new IllegalArgumentException("scores of choice " + (k + 1) + " cover " + (s == null ? 0 : s.length)
            + " layers, need " + depth);
      }
      for (int i = 0; i < depth; i++) {
        if (Double.isNaN(s[i])) {
          throw new IllegalArgumentException("score of choice " + (k + 1) + " at layer " + i + " is NaN");
        }
      }
    }
  }
}
