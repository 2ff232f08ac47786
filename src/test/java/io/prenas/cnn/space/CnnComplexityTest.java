package io.prenas.cnn.space;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Params and FLOPs (spec §7) against the goldens of an independent implementation: exact integers, every entry. */
class CnnComplexityTest {

  @Test
  void everyBignasGoldenEntryHasItsExactParamsFlopsAndId() {
    CnnSpace space = CnnFixtures.bignas();
    List<JsonNode> entries = CnnFixtures.bignasGoldenEntries();
    assertThat(entries).hasSize(2 * 5 + 22); // min and max at each resolution, then min, max and 20 random
    for (JsonNode entry : entries) {
      CnnArchitecture arch = space.readArchitecture(entry.get("arch"));
      space.validate(arch);
      LayerCost cost = space.cost(arch);
      assertThat(arch.id()).isEqualTo(entry.get("id").asText());
      assertThat(cost.params()).as(arch.id()).isEqualTo(entry.get("params").longValue());
      assertThat(cost.flops()).as(arch.id()).isEqualTo(entry.get("flops").longValue());
      assertThat(space.flops(arch)).isEqualTo((double) entry.get("flops").longValue());
    }
  }

  @Test
  void everyMicroAConfigAndSubnetHasItsExactParamsAndFlops() {
    CnnSpace space = CnnFixtures.microASpace();
    List<JsonNode> entries = CnnFixtures.microAEntries();
    assertThat(entries).hasSize(40 + 6);
    for (JsonNode entry : entries) {
      CnnArchitecture arch = space.readArchitecture(entry.get("arch"));
      space.validate(arch);
      assertThat(arch.id()).isEqualTo(entry.get("id").asText());
      assertThat(space.params(arch)).as(arch.id()).isEqualTo(entry.get("params").longValue());
      assertThat(space.cost(arch).flops()).as(arch.id()).isEqualTo(entry.get("flops").longValue());
    }
  }

  @Test
  void theMaxSubnetHoldsEverySupernetParameter() {
    // Elastic everything keeps leading channels and centre kernels, so the max subnet slices nothing away.
    JsonNode bignas = CnnFixtures.json(CnnFixtures.bignasGoldenFile());
    assertThat(CnnFixtures.bignas().params(CnnFixtures.bignas().maxArchitecture()))
        .isEqualTo(bignas.get("supernet_param_numel").longValue());
    JsonNode micro = CnnFixtures.json(CnnFixtures.microA("fixture.json"));
    assertThat(CnnFixtures.microASpace().params(CnnFixtures.microASpace().maxArchitecture()))
        .isEqualTo(micro.get("supernet_param_numel").longValue());
  }

  @Test
  void theWorkedExampleOfTheSpecAddsUpPartByPart() {
    // Spec §7: bignas-mbv2 min @224, stem 928 params / 10,838,016 MACs and the first MBConv1 layer 1,448 / 10,035,712.
    CnnComplexity at224 = CnnComplexity.at(CnnFixtures.bignas(), 224);
    assertThat(at224.stem(32)).isEqualTo(new LayerCost(928, 10_838_016));
    assertThat(at224.layer(0, 0, 32, 16, 3)).isEqualTo(new LayerCost(1_448, 10_035_712));
    assertThat(at224.head(320, 1280).params()).isEqualTo(412_160 + 1_281_000);
  }

  @Test
  void seWidthIsAQuarterOfTheInputToTheNearestEightAtLeastEight() {
    // The values the spec lists for se(c) (§4).
    assertThat(List.of(16, 40, 48, 80, 88, 112, 128, 192, 200, 208, 216, 320, 352).stream()
        .map(CnnComplexity::seWidth).toList())
        .containsExactly(8, 8, 16, 24, 24, 32, 32, 48, 48, 56, 56, 80, 88);
  }
}
