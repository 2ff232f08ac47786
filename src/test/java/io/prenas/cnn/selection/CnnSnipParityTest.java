package io.prenas.cnn.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureId;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SNIP partial sums and scores against the cnn-micro-a fixture (spec cnn-space §8, tolerance rel 1e-6 of §9). */
class CnnSnipParityTest {

  private static final double REL = 1e-6;

  @Test
  void everySubnetScoreAndPartMatchesSnipJson() {
    CnnSpace space = CnnFixtures.microASpace();
    CnnSnipScores scores = CnnSnipScores.compute(space, MicroCnn.inputs(), 2);
    JsonNode snip = CnnFixtures.json(CnnFixtures.microA("snip.json"));
    assertThat(snip.get("subnets")).hasSize(6);
    for (JsonNode subnet : snip.get("subnets")) {
      CnnArchitecture arch = CnnArchitectureId.parse(subnet.get("id").asText());
      assertClose(scores.score(arch), subnet.get("snip").asDouble(), subnet.get("id").asText());
      Map<String, Double> parts = scores.at(arch.resolution()).parts(arch);
      List<String> expectedKeys = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = subnet.get("parts").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> part = it.next();
        expectedKeys.add(part.getKey());
        assertClose(parts.get(part.getKey()), part.getValue().asDouble(), subnet.get("id") + " " + part.getKey());
      }
      assertThat(parts.keySet()).containsExactlyElementsOf(expectedKeys);
      // the same architecture scored with the other resolution's gradient: snip_g32 / snip_g40
      for (int r : space.resolutions()) {
        CnnArchitecture at = new CnnArchitecture(r, arch.stem(), arch.stages(), arch.head());
        assertClose(scores.at(r).score(at), subnet.get("snip_g" + r).asDouble(), subnet.get("id") + " @g" + r);
      }
    }
  }

  @Test
  void aMissingResolutionOrOneOutsideTheSpaceIsRefused() {
    CnnSpace space = CnnFixtures.microASpace();
    SnipInputs full = MicroCnn.inputs();
    SnipInputs only40 = SnipInputs.perResolution(full.weights(), Map.of(40, full.atResolution(40).grads()));
    assertThatThrownBy(() -> CnnSnipScores.compute(space, only40, 1)).isInstanceOf(SelectorException.class)
        .hasMessageContaining("no gradients for resolution 32");
    SnipInputs extra = SnipInputs.perResolution(full.weights(), Map.of(32, full.atResolution(32).grads(), 40,
        full.atResolution(40).grads(), 48, full.atResolution(40).grads()));
    assertThatThrownBy(() -> CnnSnipScores.compute(space, extra, 1)).isInstanceOf(SelectorException.class)
        .hasMessageContaining("resolution 48");
    SnipInputs single = new SnipInputs(full.weights(), full.atResolution(40).grads());
    assertThatThrownBy(() -> CnnSnipScores.compute(space, single, 1)).isInstanceOf(SelectorException.class)
        .hasMessageContaining("one set of gradients per resolution");
  }

  @Test
  void aGradientOfAnotherShapeNamesTheTensor() {
    CnnSpace space = CnnFixtures.microASpace();
    SnipInputs full = MicroCnn.inputs();
    var grads = new java.util.HashMap<>(full.atResolution(32).grads());
    grads.remove("stages.2.layers.1.se.reduce.bias");
    SnipInputs broken = SnipInputs.perResolution(full.weights(), Map.of(32, grads, 40, full.atResolution(40).grads()));
    assertThatThrownBy(() -> CnnSnipScores.compute(space, broken, 1)).isInstanceOf(SelectorException.class)
        .hasMessageContaining("stages.2.layers.1.se.reduce.bias");
  }

  static void assertClose(double actual, double expected, String what) {
    assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
        .isLessThanOrEqualTo(REL * Math.abs(expected));
  }
}
