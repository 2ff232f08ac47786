package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.SpaceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchStatsCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** G1: the preferred tiny architectures give the golden params and FLOPs, in file order with their bins. */
  @Test
  void tinyPreferredArchitecturesGiveTheGoldenValues() throws IOException {
    Path file = SharedFiles.resolve("reference/tiny.json");
    CliRun run = CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = JSON.readTree(run.out());
    List<String> bins = new ArrayList<>();
    JSON.readTree(file.toFile()).fieldNames().forEachRemaining(bins::add);
    assertThat(result).hasSize(bins.size());
    for (int i = 0; i < bins.size(); i++) {
      JsonNode item = result.get(i);
      JsonNode golden = golden("autoformer-tiny", "preferred[" + bins.get(i) + "]");
      assertThat(item.get("bin").asText()).isEqualTo(bins.get(i));
      assertThat(item.get("params").isIntegralNumber()).isTrue();
      assertThat(item.get("params").asLong()).isEqualTo(golden.get("params").asLong());
      assertThat(item.get("flops").asDouble()).isEqualTo(golden.get("flops").asDouble());
      assertThat(item.get("config").get("layer_num").asInt()).isEqualTo(golden.get("layer_num").asInt());
      assertThat(item.get("id").asText()).startsWith("e" + golden.get("embed_dim").asInt() + "_d");
    }
  }

  @Test
  void microAListInAFileSpace(@TempDir Path dir) throws IOException {
    Path subnets = SharedFiles.microA("subnets.json");
    JsonNode fixture = JSON.readTree(subnets.toFile()).get("subnets");
    Path list = dir.resolve("list.json");
    List<JsonNode> configs = new ArrayList<>();
    fixture.forEach(s -> configs.add(s.get("config")));
    JSON.writeValue(list.toFile(), configs);
    CliRun run = CliRun.of("arch", "stats", "--space", SpaceFixtures.microAYaml().toString(), "--archs",
        list.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = JSON.readTree(run.out());
    for (int i = 0; i < fixture.size(); i++) {
      assertThat(result.get(i).get("params").asLong()).isEqualTo(fixture.get(i).get("params").asLong());
      assertThat(result.get(i).get("flops").asDouble()).isEqualTo(fixture.get(i).get("flops").asDouble());
      assertThat(result.get(i).has("bin")).isFalse();
    }
  }

  @Test
  void architectureOutsideTheSpaceNamesIndexAndField() {
    // The small preferred set has 5..7 heads; tiny allows 3 or 4.
    String err = CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs",
        SharedFiles.resolve("reference/small.json").toString()).singleErrorLine();
    assertThat(err).contains("architecture #0 (bin \"18.0\")").contains("outside space autoformer-tiny")
        .contains("embed_dim");
  }

  @Test
  void headsOutsideTheSpaceNameTheField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "[{\"layer_num\": 12, \"embed_dim\": 192, \"mlp_ratio\": [4,4,4,4,4,4,4,4,4,4,4,4],"
        + " \"num_heads\": [3,3,3,3,3,3,3,3,3,3,3,3]},"
        + " {\"layer_num\": 12, \"embed_dim\": 192, \"mlp_ratio\": [4,4,4,4,4,4,4,4,4,4,4,4],"
        + " \"num_heads\": [3,3,3,5,3,3,3,3,3,3,3,3]}]");
    String err = CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs", file.toString())
        .singleErrorLine();
    assertThat(err).contains("architecture #1 ").contains("num_heads: layer 3 has 5");
  }

  @Test
  void badInputIsOneLineWithExitCode2(@TempDir Path dir) throws IOException {
    assertThat(CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs", dir.resolve("none.json")
        .toString()).singleErrorLine()).contains("file not found").contains("none.json");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "[{\"layer_num\": 12,,}]");
    assertThat(CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs", broken.toString())
        .singleErrorLine()).contains("malformed JSON in " + broken + " at line 1");
    Path uneven = dir.resolve("uneven.json");
    Files.writeString(uneven, "[{\"layer_num\": 2, \"embed_dim\": [192, 216], \"mlp_ratio\": [4, 4],"
        + " \"num_heads\": [3, 3]}]");
    assertThat(CliRun.of("arch", "stats", "--space", "autoformer-tiny", "--archs", uneven.toString())
        .singleErrorLine()).contains("embed_dim: must be uniform");
    assertThat(CliRun.of("arch", "stats", "--space", "autoformer-giant", "--archs", uneven.toString())
        .singleErrorLine()).contains("unknown search space 'autoformer-giant'");
    CliRun missingOption = CliRun.of("arch", "stats", "--space", "autoformer-tiny");
    assertThat(missingOption.exitCode()).isEqualTo(2);
    assertThat(missingOption.err()).startsWith("error: ").contains("--archs");
  }

  private static JsonNode golden(String space, String tag) {
    return SpaceFixtures.goldenConfigs().stream()
        .filter(c -> c.get("space").asText().equals(space) && c.get("tag").asText().equals(tag))
        .findFirst().orElseThrow();
  }
}
