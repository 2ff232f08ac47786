package io.prenas.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.cli.PrenasCli;
import io.prenas.cnn.space.CnnFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on CNN input: {@code space describe} and {@code arch stats} give the goldens' numbers, and the commands
 * that need an engine port the family does not have yet (a gradient pass needs the supernet) fail as bad input
 * naming the port.
 */
class CnnCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void spaceDescribeJsonGivesTheGoldenCountAndRange() throws IOException {
    Run run = Run.of("space", "describe", "bignas-mbv2", "--json");
    assertThat(run.code).as(run.err).isZero();
    JsonNode d = JSON.readTree(run.out);
    JsonNode golden = CnnFixtures.json(CnnFixtures.bignasGoldenFile());
    assertThat(d.get("name").asText()).isEqualTo("bignas-mbv2");
    assertThat(d.get("family").asText()).isEqualTo("cnn");
    assertThat(d.get("architectures").isIntegralNumber()).isTrue();
    assertThat(d.get("architectures").bigIntegerValue()).isEqualTo(golden.get("num_architectures").bigIntegerValue());
    List<JsonNode> ends = new ArrayList<>();
    golden.get("min_max_all_resolutions").forEach(ends::add);
    assertThat(d.get("params").get("min").longValue()).isEqualTo(extreme(ends, "params", false));
    assertThat(d.get("params").get("max").longValue()).isEqualTo(extreme(ends, "params", true));
    assertThat(d.get("flops").get("min").longValue()).isEqualTo(extreme(ends, "flops", false));
    assertThat(d.get("flops").get("max").longValue()).isEqualTo(extreme(ends, "flops", true));
  }

  @Test
  void spaceDescribeTextOfAFileSpace() {
    Run run = Run.of("space", "describe", CnnFixtures.microAYaml().toString());
    assertThat(run.code).as(run.err).isZero();
    JsonNode fixture = CnnFixtures.json(CnnFixtures.microA("fixture.json"));
    assertThat(run.out).contains("family:         cnn")
        .contains("resolution:     32, 40")
        .contains("  stages.2: MBConv6, width 24, 48; depth 1, 2, 3; kernel 3, 5; stride 2")
        .contains("architectures:  " + fixture.get("num_architectures").asLong());
  }

  @Test
  void archStatsOfAnArrayGivesTheGoldenParamsAndFlops(@TempDir Path dir) throws IOException {
    List<JsonNode> entries = CnnFixtures.bignasGoldenEntries();
    Path archs = dir.resolve("archs.json");
    JSON.writeValue(archs.toFile(), entries.stream().map(e -> e.get("arch")).toList());
    Run run = Run.of("arch", "stats", "--space", "bignas-mbv2", "--archs", archs.toString());
    assertThat(run.code).as(run.err).isZero();
    JsonNode result = JSON.readTree(run.out);
    assertThat(result).hasSize(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      JsonNode item = result.get(i);
      JsonNode golden = entries.get(i);
      assertThat(item.get("id").asText()).isEqualTo(golden.get("id").asText());
      assertThat(item.get("params").isIntegralNumber()).isTrue();
      assertThat(item.get("params").longValue()).isEqualTo(golden.get("params").longValue());
      assertThat(item.get("flops").isIntegralNumber()).as("MACs written as an integer").isTrue();
      assertThat(item.get("flops").longValue()).isEqualTo(golden.get("flops").longValue());
      assertThat(item.get("config")).isEqualTo(golden.get("arch"));
    }
  }

  @Test
  void archStatsOnAFileSpaceAndOneObject(@TempDir Path dir) throws IOException {
    JsonNode subnet = CnnFixtures.json(CnnFixtures.microA("subnets.json")).get("subnets").get(1);
    Path one = dir.resolve("one.json");
    JSON.writeValue(one.toFile(), subnet.get("arch"));
    Run run = Run.of("arch", "stats", "--space", CnnFixtures.microAYaml().toString(), "--archs", one.toString());
    assertThat(run.code).as(run.err).isZero();
    JsonNode item = JSON.readTree(run.out).get(0);
    assertThat(item.get("params").longValue()).isEqualTo(subnet.get("params").longValue());
    assertThat(item.get("flops").longValue()).isEqualTo(subnet.get("flops").longValue());
  }

  @Test
  void archStatsNamesTheArchitectureAndTheFieldAtFault(@TempDir Path dir) throws IOException {
    JsonNode min = CnnFixtures.bignasGoldenEntries().get(0).get("arch");
    String minText = JSON.writeValueAsString(min);
    Path outside = dir.resolve("outside.json");
    Files.writeString(outside, "[" + minText + "," + minText.replaceFirst("\"kernels\":\\[3,3\\]", "\"kernels\":[3,7]")
        + "]");
    assertThat(Run.of("arch", "stats", "--space", "bignas-mbv2", "--archs", outside.toString()).singleErrorLine())
        .contains("architecture #1").contains("outside space bignas-mbv2").contains("stages[1].kernels[1]");
    Path unknownKey = dir.resolve("unknown.json");
    Files.writeString(unknownKey, "[" + minText.replace("\"head\":", "\"score\":1,\"head\":") + "]");
    assertThat(Run.of("arch", "stats", "--space", "bignas-mbv2", "--archs", unknownKey.toString()).singleErrorLine())
        .contains("architecture #0").contains("score: unknown key");
  }

  private static long extreme(List<JsonNode> entries, String field, boolean max) {
    return entries.stream().mapToLong(e -> e.get(field).longValue())
        .reduce(max ? Math::max : Math::min).orElseThrow();
  }

  /** One CLI run with captured output (the CLI's own test helper is package-private to {@code io.prenas.cli}). */
  private record Run(int code, String out, String err) {

    static Run of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      return new Run(code, out.toString(), err.toString());
    }

    /** Bad input: exit 2, nothing on stdout, one line on stderr and no stack trace. */
    String singleErrorLine() {
      assertThat(code).as("exit code; stderr: " + err).isEqualTo(PrenasCli.EXIT_BAD_INPUT);
      assertThat(out).isEmpty();
      assertThat(err.strip().lines()).as(err).hasSize(1);
      assertThat(err).startsWith("error: ").doesNotContain("\tat ");
      return err.strip();
    }
  }
}
