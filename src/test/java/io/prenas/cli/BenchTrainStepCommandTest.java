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
  void bf16RunsAndAnyOtherPrecisionIsABadInput(@TempDir Path dir) throws Exception {
    Path space = Path.of(getClass().getResource("/spaces/micro-a.yaml").toURI());
    Path results = dir.resolve("results.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out), new PrintWriter(err), "bench", "train-step",
        "--space", space.toString(), "--batch", "2", "--steps", "1", "--threads", "1", "--precision", "bf16",
        "--out", results.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains(" bf16 batch 2");
    JsonNode json = new ObjectMapper().readTree(results.toFile());
    assertThat(json.get("precision").asText()).isEqualTo("bf16");
    assertThat(json.get("losses").get(0).asDouble()).isFinite().isPositive();

    StringWriter bad = new StringWriter();
    int refused = PrenasCli.run(new PrintWriter(new StringWriter()), new PrintWriter(bad), "bench", "train-step",
        "--space", space.toString(), "--batch", "2", "--steps", "1", "--precision", "fp16");
    assertThat(refused).isEqualTo(2);
    assertThat(bad.toString()).startsWith("error: ").contains("fp32 or bf16").contains("fp16");
  }

  @Test
  void bf16OnACnnSpaceIsRefused() throws Exception {
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench", "train-step",
        "--space", io.prenas.testing.SharedFiles.resolve("fixtures/cnn-micro-a/space.yaml").toString(), "--batch", "2",
        "--steps", "1", "--precision", "bf16");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("fp32 only");
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
