package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.SpaceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceDescribeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void describesABuiltInSpaceAsJson() throws IOException {
    CliRun run = CliRun.of("space", "describe", "autoformer-tiny", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode d = JSON.readTree(run.out());
    assertThat(d.get("name").asText()).isEqualTo("autoformer-tiny");
    assertThat(d.get("layerwise").asBoolean()).isFalse();
    assertThat(d.get("supernet").get("embed_dim").asInt()).isEqualTo(256);
    assertThat(d.get("model").get("num_patches").asInt()).isEqualTo(196);
    assertThat(d.get("choices").get("mlp_ratio").toString()).isEqualTo("[3.5,4.0]");
    // 3 widths x (4^12 + 4^13 + 4^14) architectures; 1,770 isomer groups (G4).
    assertThat(d.get("architectures").bigIntegerValue().toString()).isEqualTo("1056964608");
    assertThat(d.get("isomer_groups").asLong()).isEqualTo(1770);
    // The range ends are the uniform min and max configs of the golden file (G2).
    JsonNode min = uniform("autoformer-tiny", 12, 192, 3.5, 3);
    JsonNode max = uniform("autoformer-tiny", 14, 240, 4.0, 4);
    assertThat(d.get("params").get("min").asLong()).isEqualTo(min.get("params").asLong());
    assertThat(d.get("params").get("max").asLong()).isEqualTo(max.get("params").asLong());
    assertThat(d.get("flops").get("min").asDouble()).isEqualTo(min.get("flops").asDouble());
    assertThat(d.get("flops").get("max").asDouble()).isEqualTo(max.get("flops").asDouble());
  }

  @Test
  void describesAFileSpaceAsText() {
    CliRun run = CliRun.of("space", "describe", SpaceFixtures.microAYaml().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("name:           micro-a")
        .contains("shape:          flat")
        .contains("image 64, patch 16 (16 patches), in_chans 3, classes 10, max_relative_position 14")
        .contains("embed_dim:      96, 128")
        .contains("mlp_ratio:      3.5, 4.0")
        .contains("isomer groups:  82")
        .contains("params:         370330 .. 926090");
  }

  @Test
  void describesALayerwiseSpacePerEmbedDim() throws IOException {
    Path file = SharedFiles.resolve("reference/search-spaces/tiny.yaml");
    CliRun text = CliRun.of("space", "describe", file.toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("shape:          layer-wise").contains("  embed_dim 240: depth 12, 14")
        .contains("    layer  1: mlp_ratio 3.5, 4.0; num_heads 3, 4").contains("(reachable;");
    JsonNode d = JSON.readTree(CliRun.of("space", "describe", file.toString(), "--json").out());
    assertThat(d.get("layerwise").asBoolean()).isTrue();
    assertThat(d.get("layerwise_choices").get("240").get("depth").toString()).isEqualTo("[12,14]");
    assertThat(d.get("layerwise_choices").get("192").get("num_heads")).hasSize(12);
  }

  @Test
  void badSpacesAreOneLineWithExitCode2(@TempDir Path dir) throws IOException {
    assertThat(CliRun.of("space", "describe", "autoformer-huge").singleErrorLine())
        .contains("unknown search space 'autoformer-huge'");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "SUPERNET:\n  DEPTH: [1,\n");
    assertThat(CliRun.of("space", "describe", broken.toString()).singleErrorLine())
        .contains("malformed YAML in " + broken + " at line");
    Path invalid = dir.resolve("invalid.yaml");
    Files.writeString(invalid, Files.readString(SpaceFixtures.microAYaml()).replace("    - 4\n", "    - 9\n"));
    assertThat(CliRun.of("space", "describe", invalid.toString()).singleErrorLine())
        .contains("SEARCH_SPACE.DEPTH: depth 9 is above SUPERNET.DEPTH 4");
  }

  private static JsonNode uniform(String space, int depth, int embedDim, double ratio, int heads) {
    return SpaceFixtures.goldenConfigs().stream()
        .filter(c -> c.get("space").asText().equals(space) && c.has("layer_num"))
        .filter(c -> c.get("layer_num").asInt() == depth && c.get("embed_dim").asInt() == embedDim)
        .filter(c -> {
          for (JsonNode r : c.get("mlp_ratio")) {
            if (r.asDouble() != ratio) {
              return false;
            }
          }
          for (JsonNode h : c.get("num_heads")) {
            if (h.asInt() != heads) {
              return false;
            }
          }
          return true;
        })
        .findFirst().orElseThrow();
  }
}
