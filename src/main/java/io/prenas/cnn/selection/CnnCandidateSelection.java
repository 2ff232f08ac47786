package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import io.prenas.selector.CandidateSelection;
import io.prenas.selector.Phases;
import io.prenas.selector.PreferredSelector;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.Resource;
import io.prenas.space.ResourceBins;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The CNN family's zero-cost selection (spec cnn-space §8): SNIP partial sums per resolution (each from that
 * resolution's gradient pass), the search tables, then per bin its exact architecture count and its exact top-N by a
 * best-first search. No architecture is listed beyond each bin's top-N, so {@link ZeroCostSelector.Outcome#candidates}
 * holds only the selected ones, while {@link Selection#enumerated} is every architecture of the space and
 * {@link Selection#outsideBins} those in no bin, both counted exactly.
 */
public final class CnnCandidateSelection implements CandidateSelection {

  /** Phase: the stage options, suffix fronts and completion bounds of every resolution. */
  public static final String SEARCH_TABLES = "search_tables";
  /** Phase: the exact per-bin counts (meet in the middle). */
  public static final String COUNT = "count";

  @Override
  public ZeroCostSelector.Outcome select(SearchSpace searchSpace, SnipInputs inputs, ScoreMode mode,
      SelectionSettings settings, int threads, Phases phases) {
    CnnSpace space = CnnSpace.of(searchSpace);
    if (mode == ScoreMode.REFERENCE) {
      throw new SelectorException("the reference score mode exists for ViT spaces only (the reference has no CNN "
          + "code); a CNN space is scored over exactly each subnet's parameters");
    }
    return select(searchSpace, inputs, mode, settings, threads, phases, PreferredSelector.Ranking.SCORE, 0);
  }

  /**
   * The exact top-N of each bin by {@code ranking}: by score (PreNAS), the largest by params or FLOPs (the same
   * best-first search over tables whose value is that count), or distinct architectures drawn uniformly from the bin
   * ({@link UniformBinSampler}, seeded by {@code seed} and the bin's index). Every kept architecture carries its
   * zero-cost score.
   */
  @Override
  public ZeroCostSelector.Outcome select(SearchSpace searchSpace, SnipInputs inputs, ScoreMode mode,
      SelectionSettings settings, int threads, Phases phases, PreferredSelector.Ranking ranking, long seed) {
    CnnSpace space = CnnSpace.of(searchSpace);
    if (mode == ScoreMode.REFERENCE) {
      throw new SelectorException("the reference score mode exists for ViT spaces only (the reference has no CNN "
          + "code); a CNN space is scored over exactly each subnet's parameters");
    }
    CnnBins bins = CnnBins.of(settings);
    CnnSnipScores scores = phases.run(ZeroCostSelector.PRECOMPUTE, () -> CnnSnipScores.compute(space, inputs,
        threads));
    CnnExactSelector selector = phases.run(SEARCH_TABLES, () -> switch (ranking) {
      case SCORE, RANDOM -> CnnExactSelector.build(scores, settings.binBy());
      case PARAMS -> CnnExactSelector.largest(space, settings.binBy(), Resource.PARAMS);
      case FLOPS -> CnnExactSelector.largest(space, settings.binBy(), Resource.FLOPS);
    });
    long[] counts = phases.run(COUNT, () -> {
      long[] n = new long[bins.bins().size()];
      for (CnnBins.Bin b : bins.bins()) n[b.index()] = selector.count(b.lo(), b.hiExclusive());
      return n;
    });
    return phases.run(ZeroCostSelector.SELECT, () -> select(space, selector, scores, bins, counts, settings,
        ranking, seed));
  }

  private static ZeroCostSelector.Outcome select(CnnSpace space, CnnExactSelector selector, CnnSnipScores scores,
      CnnBins bins, long[] counts, SelectionSettings settings, PreferredSelector.Ranking ranking, long seed) {
    ResourceBins neutral = bins.toResourceBins();
    long total = selector.total();
    List<ScoredCandidate> candidates = new ArrayList<>();
    List<Selection.BinResult> results = new ArrayList<>();
    long inBins = 0;
    for (CnnBins.Bin b : bins.bins()) {
      inBins += counts[b.index()];
      if (counts[b.index()] == 0) continue;
      List<ScoredCandidate> top = new ArrayList<>();
      for (CnnArchitecture a : picks(space, selector, b, counts[b.index()], total, settings, ranking, seed)) {
        LayerCost cost = space.cost(a);
        ScoredCandidate c = new ScoredCandidate(candidates.size(), a, cost.params(), cost.flops(),
            scores.at(a.resolution()).score(a), 1);
        top.add(c);
        candidates.add(c);
      }
      results.add(new Selection.BinResult(neutral.bin(b.index()), top, settings.topN()));
    }
    if (results.isEmpty()) {
      throw new SelectorException(emptyMessage(space, bins));
    }
    Selection selection = new Selection(settings, neutral, results, total, total - inBins);
    return new ZeroCostSelector.Outcome(candidates, selection);
  }

  private static List<CnnArchitecture> picks(CnnSpace space, CnnExactSelector selector, CnnBins.Bin bin, long count,
      long total, SelectionSettings settings, PreferredSelector.Ranking ranking, long seed) {
    if (ranking == PreferredSelector.Ranking.RANDOM) {
      // the same seed-per-bin rule as the re-ranking of a listed bin (PreferredSelector.rerank)
      SplittableRandom random = new SplittableRandom(seed * 31 + bin.index());
      return new UniformBinSampler(space, settings.binBy()).draw(bin.lo(), bin.hiExclusive(), settings.topN(), count,
          total, random);
    }
    List<CnnArchitecture> picks = new ArrayList<>();
    for (CnnExactSelector.Ranked r : selector.top(bin.lo(), bin.hiExclusive(), settings.topN())) {
      picks.add(r.architecture());
    }
    return picks;
  }

  private static String emptyMessage(CnnSpace space, CnnBins bins) {
    ResourceRange range = space.resourceRange();
    boolean params = bins.resource() == Resource.PARAMS;
    return String.format(Locale.ROOT, "no architecture of space %s has %s in [%d, %d); its architectures have %d "
        + "to %d", space.name(), params ? "params" : "FLOPs (MACs)", bins.lo(), bins.hiExclusive(),
        params ? range.minParams() : (long) range.minFlops(), params ? range.maxParams() : (long) range.maxFlops());
  }
}
