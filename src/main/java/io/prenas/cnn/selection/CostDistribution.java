package io.prenas.cnn.selection;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A multiset of exact costs: distinct values ascending with how many architectures (or partial architectures) have
 * each. Used to count the architectures of each bin exactly without listing them.
 */
final class CostDistribution {

  final long[] values;
  /** counts[i] = how many have values[i]; cumulative[i] = how many have a value below values[i]. */
  final long[] counts;
  private final long[] cumulative;

  CostDistribution(long[] values, long[] counts) {
    this.values = values;
    this.counts = counts;
    this.cumulative = new long[values.length + 1];
    for (int i = 0; i < values.length; i++) cumulative[i + 1] = Math.addExact(cumulative[i], counts[i]);
  }

  static CostDistribution single(long value) {
    return new CostDistribution(new long[] {value}, new long[] {1});
  }

  int size() {
    return values.length;
  }

  long total() {
    return cumulative[values.length];
  }

  /** How many have a cost in [lo, hiExclusive). */
  long countIn(long lo, long hiExclusive) {
    if (hiExclusive <= lo) return 0;
    return cumulative[lowerBound(hiExclusive)] - cumulative[lowerBound(lo)];
  }

  /** Index of the first value ≥ x. */
  private int lowerBound(long x) {
    int i = Arrays.binarySearch(values, x);
    return i >= 0 ? i : -i - 1;
  }

  /** One term of a sum of distributions: every value of {@code d} plus {@code shift}, every count times {@code times}. */
  record Term(CostDistribution d, long shift, long times) {}

  /** The union of shifted, scaled distributions, by a k-way merge (a shift keeps each input sorted). */
  static CostDistribution sum(List<Term> terms) {
    PriorityQueue<int[]> heads = new PriorityQueue<>(
        (a, b) -> Long.compare(value(terms, a), value(terms, b)));
    long total = 0;
    for (int i = 0; i < terms.size(); i++) {
      heads.add(new int[] {i, 0});
      total += terms.get(i).d().size();
    }
    long[] values = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
    long[] counts = new long[values.length];
    int n = 0;
    while (!heads.isEmpty()) {
      int[] head = heads.poll();
      Term t = terms.get(head[0]);
      long v = value(terms, head);
      long c = Math.multiplyExact(t.d().counts[head[1]], t.times());
      if (n > 0 && values[n - 1] == v) {
        counts[n - 1] = Math.addExact(counts[n - 1], c);
      } else {
        values[n] = v;
        counts[n] = c;
        n++;
      }
      if (++head[1] < t.d().size()) heads.add(head);
    }
    return new CostDistribution(Arrays.copyOf(values, n), Arrays.copyOf(counts, n));
  }

  private static long value(List<Term> terms, int[] cursor) {
    Term t = terms.get(cursor[0]);
    return t.shift() + t.d().values[cursor[1]];
  }
}
