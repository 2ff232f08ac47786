package io.prenas.cnn.selection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnEnumeration;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import io.prenas.space.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact top-N per bin (spec cnn-space §8) against cnn-micro-a's selection.json (brute force over all 10,752
 * architectures) and against this test's own brute force, for FLOPs and params bins of several widths.
 */
class CnnExactSelectorTest {

  private static CnnSpace space;
  private static CnnSnipScores scores;
  private static List<Scored> all;

  record Scored(CnnArchitecture arch, long params, long flops, double score, String id) {}

  @BeforeAll
  static void scoreEveryArchitecture() {
    space = CnnFixtures.microASpace();
    scores = CnnSnipScores.compute(space, MicroCnn.inputs(), 2);
    all = new ArrayList<>();
    for (CnnArchitecture a : CnnEnumeration.all(space)) {
      LayerCost c = space.cost(a);
      all.add(new Scored(a, c.params(), c.flops(), scores.score(a), a.id()));
    }
    assertThat(all).hasSize(10_752);
  }

  @Test
  void topTwoPerFlopsBinEqualsSelectionJsonInOrderWithItsCounts() {
    JsonNode expected = CnnFixtures.json(CnnFixtures.microA("selection.json"));
    CnnExactSelector selector = CnnExactSelector.build(scores, Resource.FLOPS);
    assertThat(selector.total()).isEqualTo(expected.get("num_architectures").asLong());
    JsonNode bins = expected.get("bins");
    long lo = bins.get("min_flops").asLong();
    long hi = bins.get("max_flops").asLong();
    int top = bins.get("top_n").asInt();
    assertThat(selector.count(0, lo)).isEqualTo(expected.get("dropped_below_min").asLong());
    assertThat(selector.count(hi, Long.MAX_VALUE / 2)).isEqualTo(expected.get("dropped_at_or_above_max").asLong());
    for (JsonNode bin : expected.get("per_bin")) {
      long binLo = bin.get("lo").asLong();
      long binHi = bin.get("hi").asLong();
      assertThat(selector.count(binLo, binHi)).as("count of bin " + bin.get("key")).isEqualTo(bin.get("count").asLong());
      List<CnnExactSelector.Ranked> found = selector.top(binLo, binHi, top);
      JsonNode want = expected.get("selection").get(bin.get("key").asText());
      assertThat(found).hasSize(want.size());
      for (int i = 0; i < want.size(); i++) {
        CnnExactSelector.Ranked got = found.get(i);
        assertThat(got.architecture().id()).as(bin.get("key") + " #" + i).isEqualTo(want.get(i).get("id").asText());
        assertThat(got.flops()).isEqualTo(want.get(i).get("flops").asLong());
        assertThat(got.params()).isEqualTo(want.get(i).get("params").asLong());
        CnnSnipParityTest.assertClose(got.score(), want.get(i).get("score").asDouble(), got.architecture().id());
      }
    }
  }

  @Test
  void everyRangeMatchesBruteForceForFlopsAndParams() {
    SplittableRandom random = new SplittableRandom(16);
    for (Resource resource : List.of(Resource.FLOPS, Resource.PARAMS)) {
      CnnExactSelector selector = CnnExactSelector.build(scores, resource);
      long max = all.stream().mapToLong(s -> cost(s, resource)).max().orElseThrow();
      for (int trial = 0; trial < 60; trial++) {
        long a = random.nextLong(max + 2);
        long b = a + 1 + random.nextLong(max / (1 + random.nextInt(20)) + 1);
        int n = 1 + random.nextInt(6);
        List<Scored> expected = all.stream().filter(s -> cost(s, resource) >= a && cost(s, resource) < b)
            .sorted(order(resource)).toList();
        List<CnnExactSelector.Ranked> found = selector.top(a, b, n);
        assertThat(found).hasSize(Math.min(n, expected.size()));
        for (int i = 0; i < found.size(); i++) {
          assertThat(found.get(i).architecture().id()).as(resource + " [" + a + "," + b + ") #" + i)
              .isEqualTo(expected.get(i).id());
          assertThat(found.get(i).score()).isEqualTo(expected.get(i).score()); // same additions, same double
        }
        assertThat(selector.count(a, b)).isEqualTo(expected.size());
      }
    }
  }

  /**
   * Another shape of space on synthetic scores: no SE, relu6, three resolutions, MBConv1 after MBConv4, kernels up
   * to 7, a stage whose only width equals the previous one (layer-0 residual), FLOPs and params bins.
   */
  @Test
  void anotherSpaceOnSyntheticScoresMatchesBruteForce() {
    CnnSpace other = CnnSpace.of(io.prenas.space.SpaceLoader.parse("other", """
        TYPE: cnn
        MODEL: {IN_CHANS: 1, NUM_CLASSES: 5, ACTIVATION: relu6, SE: false}
        SEARCH_SPACE:
          RESOLUTION: [20, 24, 28]
          STEM: {WIDTH: [8, 12], KERNEL: 3, STRIDE: 2}
          STAGES:
            - {OP: mbconv, EXPAND: 4, WIDTH: [12, 16], DEPTH: [1, 2, 3], KERNEL: [3, 5, 7], STRIDE: 2}
            - {OP: mbconv, EXPAND: 1, WIDTH: [16], DEPTH: [1, 2], KERNEL: [3, 5], STRIDE: 1}
          HEAD: {WIDTH: [16, 24, 32]}
        """));
    CnnSnipScores synthetic = CnnSnipScores.compute(other, CnnSelectionBenchmark.synthetic(other, 7), 1);
    List<Scored> everything = new ArrayList<>();
    for (CnnArchitecture a : CnnEnumeration.all(other)) {
      LayerCost c = other.cost(a);
      everything.add(new Scored(a, c.params(), c.flops(), synthetic.score(a), a.id()));
    }
    assertThat((long) everything.size()).isEqualTo(other.architectureCount().longValueExact());
    SplittableRandom random = new SplittableRandom(3);
    for (Resource resource : List.of(Resource.FLOPS, Resource.PARAMS)) {
      CnnExactSelector selector = CnnExactSelector.build(synthetic, resource);
      assertThat(selector.total()).isEqualTo(everything.size());
      long max = everything.stream().mapToLong(s -> cost(s, resource)).max().orElseThrow();
      for (int trial = 0; trial < 40; trial++) {
        long a = random.nextLong(max + 1);
        long b = a + 1 + random.nextLong(max / 4 + 1);
        List<Scored> expected = everything.stream().filter(s -> cost(s, resource) >= a && cost(s, resource) < b)
            .sorted(order(resource)).toList();
        List<CnnExactSelector.Ranked> found = selector.top(a, b, 5);
        assertThat(found).extracting(r -> r.architecture().id())
            .containsExactlyElementsOf(expected.stream().limit(5).map(Scored::id).toList());
        assertThat(selector.count(a, b)).isEqualTo(expected.size());
      }
    }
  }

  private static long cost(Scored s, Resource resource) {
    return resource == Resource.PARAMS ? s.params() : s.flops();
  }

  /** The spec's order: score descending, then the binned cost ascending, then the id ascending. */
  private static Comparator<Scored> order(Resource resource) {
    return Comparator.comparingDouble(Scored::score).reversed()
        .thenComparingLong(s -> cost(s, resource)).thenComparing(Scored::id);
  }
}
