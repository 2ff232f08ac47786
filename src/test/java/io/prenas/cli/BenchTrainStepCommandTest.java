package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prenas bench train-step} runs and writes its results file (figures are not asserted: no timed tests). */
class BenchTrainStepCommandTest {

  @Test
  void writesPhaseTimesAndRssPerStep(@TempDir Path dir) throws Exception {
    Path space = Path.of(getClass().getResource("/spaces/micro-a.yaml").toURI());
    Path results = dir.resolve("results.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out), new PrintWriter(err), "bench", "train-step",
        "--space", space.toString(), "--batch", "2", "--steps", "3", "--threads", "1", "--out", results.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("train-step micro-a").contains("images/s");
    JsonNode json = new ObjectMapper().readTree(results.toFile());
    assertThat(json.get("steps").asInt()).isEqualTo(3);
    assertThat(json.get("threads").asInt()).isEqualTo(1);
    assertThat(json.get("parameterCount").asLong()).isEqualTo(926_090);
    assertThat(json.get("rssAfterStepKib")).hasSize(4); // one warm-up step + three timed
    assertThat(json.get("forward").get("medianMs").asDouble()).isPositive();
    assertThat(json.get("losses")).hasSize(3);
    assertThat(json.get("architecture").get("layer_num").asInt()).isEqualTo(4);
  }

  @Test
  void nonPositiveBatchIsABadInput() throws Exception {
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench", "train-step",
        "--space", "autoformer-tiny", "--batch", "0", "--steps", "3");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ");
  }
}
