package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.Resource;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplexityTest {

  /** All 160 golden configurations: params integer-equal and FLOPs equal as doubles. */
  @Test
  void matchesEveryGoldenConfiguration() {
    int checked = 0;
    for (JsonNode c : SpaceFixtures.goldenConfigs()) {
      VitSpace space = VitSpace.of(SearchSpaces.builtIn(c.get("space").asText()));
      String tag = c.get("tag").asText();
      if (tag.equals("supernet-total-tensor-numel")) {
        assertThat(Complexity.supernetParams(space)).as(tag + " " + space.name()).isEqualTo(c.get("params").asLong());
      } else {
        VitArchitecture arch = SpaceFixtures.goldenArchitecture(c);
        space.validate(arch);
        assertThat(Complexity.params(arch, space.model())).as(tag + " params").isEqualTo(c.get("params").asLong());
        assertThat(Complexity.flops(arch, space.model())).as(tag + " flops").isEqualTo(c.get("flops").doubleValue());
      }
      checked++;
    }
    assertThat(checked).isEqualTo(160);
  }

  @Test
  void microASubnetsMatchTheFixture() {
    VitSpace space = SpaceFixtures.microA();
    JsonNode subnets = SpaceFixtures.readJson(SharedFiles.microA("subnets.json")).get("subnets");
    assertThat(subnets).hasSize(6);
    for (JsonNode s : subnets) {
      VitArchitecture arch = VitArchitectureJson.readConfig(s.get("config"));
      assertThat(Complexity.params(arch, space.model())).isEqualTo(s.get("params").asLong());
      assertThat(Complexity.flops(arch, space.model())).isEqualTo(s.get("flops").doubleValue());
      assertThat(s.get("flops_sequence_length").asInt()).isEqualTo(space.model().numPatches());
    }
  }

  @Test
  void microAEnumerationRowsMatchExactly() {
    VitSpace space = SpaceFixtures.microA();
    List<Map<String, String>> rows = SpaceFixtures.microAEnumeration();
    assertThat(rows).hasSize(82);
    for (Map<String, String> row : rows) {
      VitArchitecture arch = SpaceFixtures.csvArchitecture(row);
      long params = Complexity.params(arch, space.model());
      assertThat(params).as("row " + row.get("index")).isEqualTo(Long.parseLong(row.get("params")));
      assertThat(Complexity.flops(arch, space.model())).isEqualTo(Double.parseDouble(row.get("flops")));
      assertThat(Resource.PARAMS.scale(params)).isEqualTo(Double.parseDouble(row.get("params_M")));
    }
  }

  @Test
  void supernetTotalsOfMicroAAndTheReducedSpaces() throws IOException {
    JsonNode spaceJson = SpaceFixtures.readJson(SharedFiles.microA("space.json"));
    assertThat(Complexity.supernetParams(SpaceFixtures.microA()))
        .isEqualTo(spaceJson.get("supernet_total_params").asLong());
    // The micro-a max subnet is the whole supernet (E = E_s, every layer at the max), so both counts agree.
    assertThat(Complexity.params(SpaceFixtures.microA().maxArchitecture(), SpaceFixtures.microA().model()))
        .isEqualTo(spaceJson.get("supernet_total_params").asLong());
    // tiny.yaml has the same SUPERNET section as supernet-T, small.yaml as supernet-S (G3).
    long tinyTotal = golden("autoformer-tiny", "supernet-total-tensor-numel").get("params").asLong();
    long smallTotal = golden("autoformer-small", "supernet-total-tensor-numel").get("params").asLong();
    assertThat(Complexity.supernetParams(VitSpace.of(SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/tiny.yaml")))))
        .isEqualTo(tinyTotal);
    assertThat(Complexity.supernetParams(VitSpace.of(SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/small.yaml")))))
        .isEqualTo(smallTotal);
  }

  /** Preferred architectures: the params the reference stored in its own JSON files (num_params, in M). */
  @Test
  void preferredArchitecturesMatchTheStoredNumParams() throws IOException {
    for (String set : List.of("tiny", "small", "base")) {
      JsonNode root = SpaceFixtures.readJson(SharedFiles.resolve("reference/" + set + ".json"));
      List<ArchitectureEntry> entries = ArchitectureJson.read(SharedFiles.resolve("reference/" + set + ".json"), SpaceFixtures.VIT);
      for (ArchitectureEntry entry : entries) {
        double stored = root.get(entry.binKey()).get(0).get("num_params").doubleValue();
        assertThat(Resource.PARAMS.scale(Complexity.params(VitArchitecture.of(entry.architecture()), ModelSettings.IMAGENET)))
            .as(set + " " + entry.binKey()).isEqualTo(stored);
      }
    }
  }

  @Test
  void rangeOfFlatSpacesIsTheUniformMinAndMax() {
    for (String name : SearchSpaces.builtInNames()) {
      if (!SearchSpaces.builtIn(name).family().equals(VitSpace.FAMILY)) {
        continue; // other families' built-ins have their own range tests
      }
      VitSpace space = VitSpace.of(SearchSpaces.builtIn(name));
      ResourceRange range = Complexity.range(space);
      JsonNode min = goldenUniform(space.name(), space.minArchitecture());
      JsonNode max = goldenUniform(space.name(), space.maxArchitecture());
      assertThat(range.minParams()).isEqualTo(min.get("params").asLong());
      assertThat(range.maxParams()).isEqualTo(max.get("params").asLong());
      assertThat(range.minFlops()).isEqualTo(min.get("flops").doubleValue());
      assertThat(range.maxFlops()).isEqualTo(max.get("flops").doubleValue());
    }
  }

  @Test
  void rangeOfLayerwiseSpacesUsesPerLayerExtremes() throws IOException {
    // tiny.yaml: E=192 allows one value per layer, so its smallest net is the preferred "6.0" architecture;
    // the largest is E=240, D=14, all 4 heads and ratio 4 ("11.0").
    VitSpace tiny = VitSpace.of(SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/tiny.yaml")));
    ResourceRange range = Complexity.range(tiny);
    assertThat(range.minParams()).isEqualTo(golden("autoformer-tiny", "preferred[6.0]").get("params").asLong());
    assertThat(range.maxParams()).isEqualTo(golden("autoformer-tiny", "preferred[11.0]").get("params").asLong());
    assertThat(range.minFlops()).isEqualTo(golden("autoformer-tiny", "preferred[6.0]").get("flops").doubleValue());
    assertThat(range.maxFlops()).isEqualTo(golden("autoformer-tiny", "preferred[11.0]").get("flops").doubleValue());
  }

  @Test
  void isomersHaveEqualCounts() {
    VitSpace space = VitSpace.of(SearchSpaces.builtIn("autoformer-tiny"));
    VitArchitecture a = new VitArchitecture(216, 3, List.of(4.0, 3.5, 3.5), List.of(3, 4, 3));
    VitArchitecture b = new VitArchitecture(216, 3, List.of(3.5, 3.5, 4.0), List.of(4, 3, 3));
    assertThat(Complexity.params(a, space.model())).isEqualTo(Complexity.params(b, space.model()));
    assertThat(Complexity.flops(a, space.model())).isEqualTo(Complexity.flops(b, space.model()));
  }

  static JsonNode golden(String space, String tag) {
    return SpaceFixtures.goldenConfigs().stream()
        .filter(c -> c.get("space").asText().equals(space) && c.get("tag").asText().equals(tag))
        .findFirst().orElseThrow(() -> new AssertionError("no golden " + space + " " + tag));
  }

  private static JsonNode goldenUniform(String space, VitArchitecture arch) {
    return SpaceFixtures.goldenConfigs().stream()
        .filter(c -> c.get("space").asText().equals(space) && c.has("layer_num"))
        .filter(c -> SpaceFixtures.goldenArchitecture(c).equals(arch))
        .findFirst().orElseThrow(() -> new AssertionError("no golden config " + arch + " in " + space));
  }
}
