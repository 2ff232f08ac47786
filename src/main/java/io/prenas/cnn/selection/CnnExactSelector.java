package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import io.prenas.space.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact top-N per bin of a CNN space (spec cnn-space §8), over all architectures at all resolutions, with no
 * sampling and no enumeration: {@link #build} makes the per-resolution tables once (stage options, suffix Pareto
 * fronts, completion bounds), then each {@link #top} query is a best-first search and each {@link #count} a
 * meet-in-the-middle count. The result equals brute-force enumeration, ordered by score descending, then cost
 * ascending, then canonical id ascending.
 */
public final class CnnExactSelector {

  /** One selected architecture with its exact counts and score. */
  public record Ranked(CnnArchitecture architecture, long params, long flops, double score) {}

  /** Sizes of the tables, for benchmarks: front points in all, the largest front, stage options in all. */
  public record TableSizes(int frontPoints, int largestFront, int stageOptions) {}

  private final CnnSpace space;
  private final Resource resource;
  private final List<ResolutionTables> tables;
  private final BestFirstSearch search;
  private List<BinCounts> counts;

  private CnnExactSelector(CnnSpace space, Resource resource, List<ResolutionTables> tables) {
    this.space = space;
    this.resource = resource;
    this.tables = tables;
    this.search = new BestFirstSearch(space, tables);
  }

  /** The tables of every resolution, binned by FLOPs (MACs) or params. */
  public static CnnExactSelector build(CnnSnipScores scores, Resource resource) {
    CnnSpace space = scores.space();
    List<ResolutionTables> tables = new ArrayList<>();
    for (int r : space.resolutions()) {
      tables.add(ResolutionTables.build(space, scores.at(r), resource));
    }
    return new CnnExactSelector(space, resource, tables);
  }

  /**
   * Tables whose "score" is the architecture's params or FLOPs ({@code rankBy}), binned by {@code binBy}: {@link #top}
   * then answers the largest architectures of a bin (ties: the lower binned cost, then the canonical id), and
   * {@link Ranked#score} is that count.
   */
  public static CnnExactSelector largest(CnnSpace space, Resource binBy, Resource rankBy) {
    java.util.function.ToLongFunction<LayerCost> measure =
        rankBy == Resource.PARAMS ? LayerCost::params : LayerCost::flops;
    List<ResolutionTables> tables = new ArrayList<>();
    for (int r : space.resolutions()) {
      tables.add(ResolutionTables.build(space, new CostValues(space, r, measure), binBy));
    }
    return new CnnExactSelector(space, binBy, tables);
  }

  public Resource resource() {
    return resource;
  }

  /** The best {@code n} architectures whose cost (FLOPs or params) lies in [lo, hiExclusive), best first. */
  public List<Ranked> top(long lo, long hiExclusive, int n) {
    List<Ranked> ranked = new ArrayList<>();
    for (BestFirstSearch.Found f : search.top(lo, hiExclusive, n)) {
      LayerCost cost = space.cost(f.architecture());
      ranked.add(new Ranked(f.architecture(), cost.params(), cost.flops(), f.score()));
    }
    return ranked;
  }

  /** How many architectures (all resolutions) cost in [lo, hiExclusive), exactly. */
  public long count(long lo, long hiExclusive) {
    long n = 0;
    for (BinCounts c : countTables()) n = Math.addExact(n, c.count(lo, hiExclusive));
    return n;
  }

  /** Builds the count tables now (else on the first {@link #count}), so that a benchmark can time them apart. */
  public void buildCounts() {
    countTables();
  }

  /** How many architectures the space has, from the count tables (a check on them against the closed form). */
  public long total() {
    long n = 0;
    for (BinCounts c : countTables()) n = Math.addExact(n, c.total());
    return n;
  }

  /** The count tables, built on first use: a caller that only wants the top-N does not pay for them. */
  private synchronized List<BinCounts> countTables() {
    if (counts == null) {
      List<BinCounts> built = new ArrayList<>();
      for (ResolutionTables t : tables) built.add(BinCounts.build(t));
      counts = built;
    }
    return counts;
  }

  /** Nodes expanded and queued by the last {@link #top} query. */
  public long[] lastQueryWork() {
    BestFirstSearch.Work w = search.work();
    return new long[] {w.expanded(), w.queued()};
  }

  public TableSizes sizes() {
    int points = 0;
    int largest = 0;
    int options = 0;
    for (ResolutionTables t : tables) {
      points += t.frontPoints();
      largest = Math.max(largest, t.largestFront());
      for (StageOption[][] stage : t.options) for (StageOption[] o : stage) options += o.length;
    }
    return new TableSizes(points, largest, options);
  }
}
