package io.prenas.selector;

import io.prenas.space.Resource;
import io.prenas.space.ResourceBins;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Binning and ranking of the zero-cost selector (paper Eq. 8, spec 4.5): scored candidates binned by parameters or
 * FLOPs, and the best few of each bin kept as the preferred architectures.
 */
public final class PreferredSelector {

  private PreferredSelector() {}

  /**
   * Bins the candidates and keeps the top-N of each bin: a stable sort by descending score, so equal scores keep
   * the enumeration order (Python's {@code list.sort} in the reference).
   *
   * @throws SelectorException when no candidate falls in any bin
   */
  public static Selection select(List<ScoredCandidate> candidates, SelectionSettings settings) {
    ResourceBins bins = ResourceBins.of(settings.binBy(), settings.min(), settings.max(), settings.interval());
    List<List<ScoredCandidate>> members = new ArrayList<>();
    for (int i = 0; i < bins.size(); i++) members.add(new ArrayList<>());
    int outside = 0;
    for (ScoredCandidate c : candidates) {
      int index = bins.binIndexOfRaw(measure(c, settings.binBy()));
      if (index < 0) {
        outside++;
      } else {
        members.get(index).add(c);
      }
    }
    List<Selection.BinResult> results = new ArrayList<>();
    for (int i = 0; i < bins.size(); i++) {
      List<ScoredCandidate> ranked = members.get(i);
      if (ranked.isEmpty()) continue;
      ranked.sort(Comparator.comparingDouble(ScoredCandidate::score).reversed()); // List.sort is stable
      results.add(new Selection.BinResult(bins.bin(i), ranked, settings.topN()));
    }
    if (results.isEmpty()) {
      throw new SelectorException(emptyMessage(candidates, settings));
    }
    return new Selection(settings, bins, results, candidates.size(), outside);
  }

  /** How the candidates of a bin are ordered before the top-N are kept. */
  public enum Ranking {
    /** Highest zero-cost score first (PreNAS, Eq. 8). */
    SCORE,
    /** Most parameters first, ties by score: the "largest model that fits" baseline. */
    PARAMS,
    /** Most FLOPs (MACs) first, ties by score: the "largest model that fits" baseline of a FLOPs budget. */
    FLOPS,
    /** A seeded shuffle: the random-pick baseline. */
    RANDOM
  }

  /**
   * The same bins with their members re-ordered by another ranking (for the baselines the paper compares the
   * selector with). {@link Ranking#SCORE} returns the selection unchanged.
   */
  public static Selection rerank(Selection selection, Ranking ranking, long seed) {
    if (ranking == Ranking.SCORE) {
      return selection;
    }
    long listed = selection.outsideBins();
    for (Selection.BinResult bin : selection.nonEmptyBins()) listed += bin.ranked().size();
    if (listed != selection.enumerated()) {
      // an exact selector (the CNN family's) keeps only each bin's top-N by score: re-ranking those would not be the
      // baseline over the whole bin
      throw new SelectorException("ranking by " + ranking.name().toLowerCase(java.util.Locale.ROOT) + " needs every "
          + "architecture of a bin, but this selection keeps only each bin's top " + selection.settings().topN()
          + " by score (" + selection.enumerated() + " architectures ranked without being listed)");
    }
    List<Selection.BinResult> bins = new ArrayList<>();
    for (Selection.BinResult bin : selection.nonEmptyBins()) {
      List<ScoredCandidate> ranked = new ArrayList<>(bin.ranked());
      if (ranking == Ranking.PARAMS) {
        ranked.sort(Comparator.comparingLong(ScoredCandidate::params).reversed()); // stable: ties keep score order
      } else if (ranking == Ranking.FLOPS) {
        ranked.sort(Comparator.comparingDouble(ScoredCandidate::flops).reversed());
      } else {
        java.util.Collections.shuffle(ranked, new java.util.Random(seed * 31 + bin.bin().index()));
      }
      bins.add(new Selection.BinResult(bin.bin(), ranked, bin.topN()));
    }
    return new Selection(selection.settings(), selection.bins(), bins, selection.enumerated(),
        selection.outsideBins());
  }

  /** The raw measure a candidate is binned by (parameters, or FLOPs). */
  public static double measure(ScoredCandidate c, Resource resource) {
    return resource == Resource.PARAMS ? c.params() : c.flops();
  }

  private static String emptyMessage(List<ScoredCandidate> candidates, SelectionSettings s) {
    String unit = s.binBy() == Resource.PARAMS ? "M params" : "G FLOPs";
    if (candidates.isEmpty()) {
      return "the search space enumerates no architecture";
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ScoredCandidate c : candidates) {
      double v = s.binBy().scale(measure(c, s.binBy()));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return String.format(java.util.Locale.ROOT,
        "no architecture falls in [%s, %s) %s; the %d enumerated architectures span %.6f to %.6f %s",
        s.min(), s.max(), unit, candidates.size(), lo, hi, unit);
  }
}
