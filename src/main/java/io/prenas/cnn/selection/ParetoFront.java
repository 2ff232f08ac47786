package io.prenas.cnn.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The (cost, score) Pareto set of the completions of a partial architecture (spec cnn-space §8, step 3): the points
 * that no other point beats with a cost ≤ theirs and a higher score, by ascending cost (so scores ascend strictly).
 * {@link #bestWithin} is then a binary search: the best score of any completion within a cost budget.
 */
final class ParetoFront {

  private final long[] costs;
  private final double[] scores;

  private ParetoFront(long[] costs, double[] scores) {
    this.costs = costs;
    this.scores = scores;
  }

  /** A front of points given in any order. */
  static ParetoFront of(long[] costs, double[] scores) {
    Builder b = new Builder();
    Integer[] order = new Integer[costs.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, (x, y) -> costs[x] != costs[y] ? Long.compare(costs[x], costs[y])
        : Double.compare(scores[y], scores[x]));
    for (int i : order) b.offer(costs[i], scores[i]);
    return b.build();
  }

  /** One shifted front: every point of {@code front} plus (cost, score). */
  record Shifted(ParetoFront front, long cost, double score) {}

  /**
   * The front of the union of shifted fronts, by a k-way merge (each input is already sorted by cost, and a shift
   * keeps the order).
   */
  static ParetoFront union(List<Shifted> parts) {
    PriorityQueue<int[]> heads = new PriorityQueue<>((a, b) -> {
      long ca = cost(parts, a);
      long cb = cost(parts, b);
      return ca != cb ? Long.compare(ca, cb) : Double.compare(score(parts, b), score(parts, a));
    });
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).front().size() > 0) heads.add(new int[] {i, 0});
    }
    Builder b = new Builder();
    while (!heads.isEmpty()) {
      int[] head = heads.poll();
      b.offer(cost(parts, head), score(parts, head));
      if (++head[1] < parts.get(head[0]).front().size()) heads.add(head);
    }
    return b.build();
  }

  private static long cost(List<Shifted> parts, int[] cursor) {
    Shifted s = parts.get(cursor[0]);
    return s.cost() + s.front().costs[cursor[1]];
  }

  private static double score(List<Shifted> parts, int[] cursor) {
    Shifted s = parts.get(cursor[0]);
    return s.score() + s.front().scores[cursor[1]];
  }

  int size() {
    return costs.length;
  }

  long minCost() {
    return costs[0];
  }

  /** The highest score of a point with cost ≤ budget, or NaN when none fits. */
  double bestWithin(long budget) {
    int lo = 0;
    int hi = costs.length - 1;
    if (costs[0] > budget) return Double.NaN;
    while (lo < hi) { // last index with cost <= budget
      int mid = (lo + hi + 1) >>> 1;
      if (costs[mid] <= budget) lo = mid; else hi = mid - 1;
    }
    return scores[lo];
  }

  /** Keeps, from points offered by ascending cost (higher score first at equal cost), those that raise the score. */
  private static final class Builder {
    private long[] cost = new long[16];
    private double[] score = new double[16];
    private int n;

    void offer(long c, double s) {
      if (n > 0 && s <= score[n - 1]) return; // dominated: an earlier point costs no more and scores at least as much
      if (n == cost.length) {
        cost = java.util.Arrays.copyOf(cost, 2 * n);
        score = java.util.Arrays.copyOf(score, 2 * n);
      }
      cost[n] = c;
      score[n] = s;
      n++;
    }

    ParetoFront build() {
      return new ParetoFront(java.util.Arrays.copyOf(cost, n), java.util.Arrays.copyOf(score, n));
    }
  }
}
