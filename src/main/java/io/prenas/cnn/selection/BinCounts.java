package io.prenas.cnn.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many architectures of one resolution have a cost in a range, exactly, without listing them: meet in the
 * middle at a stage boundary m. Forward from the stem, the distribution of prefix costs per width entering stage m;
 * backward from the head, the distribution of completion costs per that width. A range's count is, over the prefix
 * costs p, the number of completions in [lo − p, hi − p): a binary search each. The split m is chosen so that the two
 * sides are about equally large; stage options with equal (width, cost) are merged first, since kernels that cost
 * the same (a depthwise conv's kernel changes FLOPs only by its own term) need not be told apart here.
 */
final class BinCounts {

  private final CostDistribution[] prefix;
  private final CostDistribution[] suffix;

  private BinCounts(CostDistribution[] prefix, CostDistribution[] suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
  }

  static BinCounts build(ResolutionTables t) {
    List<Map<Integer, Map<Long, Long>>> merged = new ArrayList<>(); // [stage] input width → (width, cost) counts
    for (int s = 0; s < t.stages; s++) {
      Map<Integer, Map<Long, Long>> perInput = new HashMap<>();
      for (int ci = 0; ci < t.options[s].length; ci++) {
        Map<Long, Long> byWidthAndCost = new HashMap<>();
        for (StageOption o : t.options[s][ci]) {
          byWidthAndCost.merge(key(o.widthIndex(), o.cost()), 1L, Long::sum);
        }
        perInput.put(ci, byWidthAndCost);
      }
      merged.add(perInput);
    }
    int split = split(t, merged);
    // forward: prefix costs per width entering stage s
    CostDistribution[] forward = new CostDistribution[t.stemCost.length];
    for (int c0 = 0; c0 < forward.length; c0++) forward[c0] = CostDistribution.single(t.stemCost[c0]);
    for (int s = 0; s < split; s++) {
      int widths = t.fronts[s + 1].length;
      List<List<CostDistribution.Term>> into = new ArrayList<>();
      for (int w = 0; w < widths; w++) into.add(new ArrayList<>());
      for (int ci = 0; ci < forward.length; ci++) {
        for (Map.Entry<Long, Long> e : merged.get(s).get(ci).entrySet()) {
          into.get(width(e.getKey())).add(new CostDistribution.Term(forward[ci], cost(e.getKey()), e.getValue()));
        }
      }
      forward = new CostDistribution[widths];
      for (int w = 0; w < widths; w++) forward[w] = CostDistribution.sum(into.get(w));
    }
    // backward: completion costs per width entering stage s, from the head
    CostDistribution[] backward = new CostDistribution[t.headCost.length];
    for (int li = 0; li < backward.length; li++) {
      List<CostDistribution.Term> heads = new ArrayList<>();
      for (long c : t.headCost[li]) heads.add(new CostDistribution.Term(CostDistribution.single(0), c, 1));
      backward[li] = CostDistribution.sum(heads);
    }
    for (int s = t.stages - 1; s >= split; s--) {
      CostDistribution[] before = new CostDistribution[t.options[s].length];
      for (int ci = 0; ci < before.length; ci++) {
        List<CostDistribution.Term> terms = new ArrayList<>();
        for (Map.Entry<Long, Long> e : merged.get(s).get(ci).entrySet()) {
          terms.add(new CostDistribution.Term(backward[width(e.getKey())], cost(e.getKey()), e.getValue()));
        }
        before[ci] = CostDistribution.sum(terms);
      }
      backward = before;
    }
    return new BinCounts(forward, backward);
  }

  /** The boundary whose larger side (estimated by products of merged option counts) is smallest. */
  private static int split(ResolutionTables t, List<Map<Integer, Map<Long, Long>>> merged) {
    int stages = t.stages;
    double[] perStage = new double[stages];
    for (int s = 0; s < stages; s++) {
      for (Map<Long, Long> m : merged.get(s).values()) perStage[s] = Math.max(perStage[s], m.size());
    }
    int best = 0;
    double bestSize = Double.POSITIVE_INFINITY;
    for (int m = 0; m <= stages; m++) {
      double before = t.stemCost.length;
      for (int s = 0; s < m; s++) before *= perStage[s];
      double after = t.headCost[0].length;
      for (int s = m; s < stages; s++) after *= perStage[s];
      if (Math.max(before, after) < bestSize) {
        bestSize = Math.max(before, after);
        best = m;
      }
    }
    return best;
  }

  /** How many architectures of this resolution cost in [lo, hiExclusive). */
  long count(long lo, long hiExclusive) {
    long n = 0;
    for (int c = 0; c < prefix.length; c++) {
      CostDistribution p = prefix[c];
      CostDistribution q = suffix[c];
      for (int i = 0; i < p.size(); i++) {
        long in = q.countIn(lo - p.values[i], hiExclusive - p.values[i]);
        if (in != 0) n = Math.addExact(n, Math.multiplyExact(in, p.counts[i]));
      }
    }
    return n;
  }

  /** How many architectures this resolution has. */
  long total() {
    long n = 0;
    for (int c = 0; c < prefix.length; c++) n = Math.addExact(n, Math.multiplyExact(prefix[c].total(),
        suffix[c].total()));
    return n;
  }

  // (width index, cost) packed in one map key: widths are few, costs far below 2^56 for any countable space
  private static long key(int width, long cost) {
    if (width >= 256 || cost < 0 || cost >= 1L << 56) {
      throw new io.prenas.selector.SelectorException("cost " + cost + " of width choice " + width
          + " is beyond what the bin counts can pack");
    }
    return ((long) width << 56) | cost;
  }

  private static int width(long key) {
    return (int) (key >>> 56);
  }

  private static long cost(long key) {
    return key & ((1L << 56) - 1);
  }
}
