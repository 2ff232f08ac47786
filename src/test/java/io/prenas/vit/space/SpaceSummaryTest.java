package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.testing.SharedFiles;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SpaceSummaryTest {

  @Test
  void microASummaryMatchesTheFixtures() {
    VitSpace space = SpaceFixtures.microA();
    SpaceSummary summary = SpaceSummary.of(space);
    JsonNode spaceJson = SpaceFixtures.readJson(SharedFiles.microA("space.json"));
    JsonNode subnets = SpaceFixtures.readJson(SharedFiles.microA("subnets.json")).get("subnets");
    JsonNode min = subnets.get(0);
    JsonNode max = subnets.get(subnets.size() - 1);
    assertThat(min.get("tag").asText()).isEqualTo("min");
    assertThat(max.get("tag").asText()).isEqualTo("max");
    // 2 widths x ((2 ratios x 2 head counts)^3 + (2 x 2)^4)
    assertThat(summary.architectures()).isEqualTo(BigInteger.valueOf(2 * (64 + 256)));
    assertThat(summary.isomerGroups()).isEqualTo(spaceJson.get("search").get("num_enumerated").asLong());
    assertThat(summary.range().minParams()).isEqualTo(min.get("params").asLong());
    assertThat(summary.range().maxParams()).isEqualTo(max.get("params").asLong());
    assertThat(summary.range().minFlops()).isEqualTo(min.get("flops").asDouble());
    assertThat(summary.range().maxFlops()).isEqualTo(max.get("flops").asDouble());

    ObjectNode json = summary.toJson();
    assertThat(json.get("name").asText()).isEqualTo("micro-a");
    assertThat(json.get("model").get("num_patches").asInt()).isEqualTo(spaceJson.get("num_patches").asInt());
    assertThat(json.get("flops").get("max").toString()).isEqualTo("16143368"); // exact, no exponent
    assertThat(json.has("layerwise_choices")).isFalse();
  }

  @Test
  void exactDecimalsKeepHalves() {
    assertThat(SpaceSummary.exact(6171846.5).toPlainString()).isEqualTo("6171846.5");
    assertThat(SpaceSummary.exact(1379653176.0).toPlainString()).isEqualTo("1379653176");
  }
}
