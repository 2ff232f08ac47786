package io.prenas.cnn.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnEnumeration;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import io.prenas.selector.PreferredSelector.Ranking;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.Resource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baselines the selector is compared with, on a CNN space whose selection lists only each bin's top-N: the
 * largest architectures of a bin by params or FLOPs, and distinct architectures drawn uniformly from a bin. Checked
 * against brute force over all 10,752 architectures of cnn-micro-a.
 */
class CnnBaselinePicksTest {

  private static CnnSpace space;
  private static CnnSnipScores scores;
  private static List<CnnArchitecture> all;

  @BeforeAll
  static void enumerate() {
    space = CnnFixtures.microASpace();
    scores = CnnSnipScores.compute(space, MicroCnn.inputs(), 2);
    all = CnnEnumeration.all(space);
  }

  @Test
  void largestByParamsOrFlopsEqualsBruteForceInEveryRange() {
    SplittableRandom random = new SplittableRandom(5);
    for (Resource binBy : List.of(Resource.FLOPS, Resource.PARAMS)) {
      for (Resource rankBy : List.of(Resource.FLOPS, Resource.PARAMS)) {
        CnnExactSelector selector = CnnExactSelector.largest(space, binBy, rankBy);
        long max = all.stream().mapToLong(a -> measure(a, binBy)).max().orElseThrow();
        for (int trial = 0; trial < 30; trial++) {
          long lo = random.nextLong(max + 1);
          long hi = lo + 1 + random.nextLong(max / 4 + 1);
          int n = 1 + random.nextInt(4);
          List<String> expected = all.stream().filter(a -> measure(a, binBy) >= lo && measure(a, binBy) < hi)
              .sorted(Comparator.comparingLong((CnnArchitecture a) -> measure(a, rankBy)).reversed()
                  .thenComparingLong(a -> measure(a, binBy)).thenComparing(CnnArchitecture::id))
              .limit(n).map(CnnArchitecture::id).toList();
          List<CnnExactSelector.Ranked> found = selector.top(lo, hi, n);
          assertThat(found).as(binBy + " bins ranked by " + rankBy + " [" + lo + "," + hi + ")")
              .extracting(r -> r.architecture().id()).containsExactlyElementsOf(expected);
          for (CnnExactSelector.Ranked r : found) {
            assertThat((long) r.score()).isEqualTo(measure(r.architecture(), rankBy));
          }
        }
      }
    }
  }

  @Test
  void rankingByFlopsKeepsTheLargestOfEachBinWithItsZeroCostScore() {
    Selection selection = run(Ranking.FLOPS, 0).selection();
    for (Selection.BinResult bin : selection.nonEmptyBins()) {
      long lo = lo(bin);
      long hi = lo + 500_000;
      long largest = all.stream().mapToLong(a -> measure(a, Resource.FLOPS)).filter(f -> f >= lo && f < hi).max()
          .orElseThrow();
      ScoredCandidate first = bin.top().get(0);
      assertThat((long) first.flops()).isEqualTo(largest);
      CnnArchitecture arch = (CnnArchitecture) first.architecture();
      assertThat(first.score()).isEqualTo(scores.at(arch.resolution()).score(arch));
    }
  }

  @Test
  void randomPicksAreDistinctMembersOfTheBinAndFollowTheSeed() {
    Selection a = run(Ranking.RANDOM, 3).selection();
    Selection b = run(Ranking.RANDOM, 3).selection();
    Selection c = run(Ranking.RANDOM, 4).selection();
    assertThat(ids(a)).isEqualTo(ids(b)).isNotEqualTo(ids(c));
    for (Selection.BinResult bin : a.nonEmptyBins()) {
      assertThat(bin.top()).hasSize(2);
      assertThat(new HashSet<>(bin.top().stream().map(t -> t.architecture().id()).toList())).hasSize(2);
      for (ScoredCandidate t : bin.top()) {
        assertThat((long) t.flops()).isGreaterThanOrEqualTo(lo(bin)).isLessThan(lo(bin) + 500_000);
      }
    }
  }

  /** Every architecture equally likely: a chi-square test over the whole space, and the depth weights K^d. */
  @Test
  void uniformDrawsCoverTheSpaceEvenly() {
    UniformBinSampler sampler = new UniformBinSampler(space, Resource.FLOPS);
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Integer> seen = new HashMap<>();
    int draws = 30 * all.size();
    for (int i = 0; i < draws; i++) seen.merge(sampler.uniform(random).id(), 1, Integer::sum);
    assertThat(seen.keySet()).hasSize(all.size());
    double expected = (double) draws / all.size();
    double chi2 = 0;
    for (int count : seen.values()) chi2 += (count - expected) * (count - expected) / expected;
    int df = all.size() - 1;
    assertThat(chi2).isBetween(df - 6 * Math.sqrt(2.0 * df), df + 6 * Math.sqrt(2.0 * df));
  }

  @Test
  void aBinTooThinToSampleByRejectionIsRefused() {
    UniformBinSampler sampler = new UniformBinSampler(space, Resource.FLOPS);
    assertThatThrownBy(() -> sampler.draw(0, 10, 1, 1, 100_000_000_000L, new SplittableRandom(0)))
        .isInstanceOf(SelectorException.class).hasMessageContaining("too few to draw uniformly");
  }

  private static ZeroCostSelector.Outcome run(Ranking ranking, long seed) {
    SelectionSettings settings = SelectionSettings.ofRaw(Resource.FLOPS, new BigDecimal(500_000),
        new BigDecimal(5_000_000), new BigDecimal(500_000), 2);
    return new CnnCandidateSelection().select(space, MicroCnn.inputs(), ScoreMode.SUBNET, settings, 2,
        new io.prenas.selector.Phases((phase, nanos) -> { }), ranking, seed);
  }

  /** Bins of 500K FLOPs from 500K. */
  private static long lo(Selection.BinResult bin) {
    return 500_000L * (1 + bin.bin().index());
  }

  private static List<List<String>> ids(Selection selection) {
    List<List<String>> ids = new ArrayList<>();
    for (Selection.BinResult bin : selection.nonEmptyBins()) {
      ids.add(bin.top().stream().map(t -> t.architecture().id()).toList());
    }
    return ids;
  }

  private static long measure(CnnArchitecture a, Resource r) {
    LayerCost c = space.cost(a);
    ToLongFunction<LayerCost> m = r == Resource.PARAMS ? LayerCost::params : LayerCost::flops;
    return m.applyAsLong(c);
  }
}
