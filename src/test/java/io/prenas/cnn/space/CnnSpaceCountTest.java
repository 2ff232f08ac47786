package io.prenas.cnn.space;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ResourceRange;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The architecture count and the resource range, checked against brute-force enumeration of small spaces and against
 * the goldens for bignas-mbv2 (whose 2.4e12 architectures cannot be enumerated).
 */
class CnnSpaceCountTest {

  /** A variant of cnn-micro-a exercising what the micro space does not: three resolutions, SE off, stride-1 stage. */
  private static final String VARIANT = """
      TYPE: cnn
      MODEL: {IN_CHANS: 1, NUM_CLASSES: 10, SE: false, ACTIVATION: relu6}
      SEARCH_SPACE:
        RESOLUTION: [28, 30, 36]
        STEM: {WIDTH: [8, 24], KERNEL: 5, STRIDE: 1}
        STAGES:
          - {OP: mbconv, EXPAND: 1, WIDTH: [8, 16, 24], DEPTH: [1, 3], KERNEL: [3, 7], STRIDE: 2}
          - {OP: mbconv, EXPAND: 3, WIDTH: [16, 40], DEPTH: [1, 2], KERNEL: [1, 3, 5], STRIDE: 1}
        HEAD: {WIDTH: [16, 64]}
      """;

  @Test
  void bignasHasTheSpecsNumberOfArchitectures() {
    JsonNode golden = CnnFixtures.json(CnnFixtures.bignasGoldenFile());
    assertThat(CnnFixtures.bignas().architectureCount())
        .isEqualTo(golden.get("num_architectures").bigIntegerValue())
        .isEqualTo(new BigInteger("2380647628800"));
  }

  @Test
  void countAndRangeOfMicroAEqualBruteForce() {
    CnnSpace space = CnnFixtures.microASpace();
    JsonNode fixture = CnnFixtures.json(CnnFixtures.microA("fixture.json"));
    assertThat(space.architectureCount()).isEqualTo(fixture.get("num_architectures").bigIntegerValue());
    assertMatchesBruteForce(space);
  }

  @Test
  void countAndRangeOfAVariantEqualBruteForce() {
    assertMatchesBruteForce(CnnSpace.of(io.prenas.space.SpaceLoader.parse("variant", VARIANT)));
  }

  @Test
  void bignasRangeIsTheGoldenMinAtTheSmallestAndMaxAtTheLargestResolution() {
    List<JsonNode> ends = CnnFixtures.bignasGoldenEntries().subList(0, 10); // min and max at each resolution
    ResourceRange range = CnnFixtures.bignas().resourceRange();
    assertThat(range.minParams()).isEqualTo(ends.stream().mapToLong(e -> e.get("params").longValue()).min().orElseThrow());
    assertThat(range.maxParams()).isEqualTo(ends.stream().mapToLong(e -> e.get("params").longValue()).max().orElseThrow());
    assertThat((long) range.minFlops()).isEqualTo(ends.stream().filter(e -> e.get("tag").asText().equals("min@192"))
        .findFirst().orElseThrow().get("flops").longValue());
    assertThat((long) range.maxFlops()).isEqualTo(ends.stream().filter(e -> e.get("tag").asText().equals("max@320"))
        .findFirst().orElseThrow().get("flops").longValue());
  }

  private static void assertMatchesBruteForce(CnnSpace space) {
    List<CnnArchitecture> all = CnnEnumeration.all(space);
    Set<String> ids = new HashSet<>();
    all.forEach(a -> ids.add(a.id()));
    assertThat(ids).as("distinct ids").hasSize(all.size());
    assertThat(space.architectureCount()).isEqualTo(BigInteger.valueOf(all.size()));
    List<LayerCost> costs = all.stream().map(space::cost).toList();
    ResourceRange range = space.resourceRange();
    assertThat(range.minParams()).isEqualTo(costs.stream().mapToLong(LayerCost::params).min().orElseThrow());
    assertThat(range.maxParams()).isEqualTo(costs.stream().mapToLong(LayerCost::params).max().orElseThrow());
    assertThat(range.minFlops()).isEqualTo((double) costs.stream().mapToLong(LayerCost::flops).min().orElseThrow());
    assertThat(range.maxFlops()).isEqualTo((double) costs.stream().mapToLong(LayerCost::flops).max().orElseThrow());
  }
}
