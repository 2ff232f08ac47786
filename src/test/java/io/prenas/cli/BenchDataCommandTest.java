package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prenas bench data} makes a tiny JPEG folder, times it and writes its results file (no timing asserted). */
class BenchDataCommandTest {

  @Test
  void makesImagesTimesThemAndWritesJson(@TempDir Path dir) throws Exception {
    Path images = dir.resolve("images");
    Path results = dir.resolve("results.json");
    CliRun run = CliRun.of("bench", "data", "--data", images.toString(), "--make-images", "6", "--classes", "2",
        "--workers", "2", "--images", "5", "--warmup", "1", "--size", "32", "--decoder", "opencv",
        "--out", results.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 6 JPEGs in 2 classes").contains("images/s");
    JsonNode json = new ObjectMapper().readTree(results.toFile());
    assertThat(json.get("decoder").asText()).isEqualTo("opencv");
    assertThat(json.get("effectiveDecoder").asText()).isEqualTo("opencv");
    assertThat(json.get("workers").asInt()).isEqualTo(2);
    assertThat(json.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(json.get("images").asInt()).isEqualTo(5);
    assertThat(json.get("size").asInt()).isEqualTo(32);
    assertThat(json.get("imagesPerSecond").asDouble()).isPositive();
    assertThat(json.get("imagesPerSecondPerWorker").asDouble()).isPositive();
    assertThat(json.get("decodeMsPerImage").asDouble()).isPositive();
    assertThat(json.get("transformMsPerImage").asDouble()).isPositive();
    assertThat(json.get("failed")).isEmpty();

    CliRun imageIo = CliRun.of("bench", "data", "--data", images.toString(), "--images", "3", "--warmup", "0",
        "--size", "32", "--decoder", "imageio");
    assertThat(imageIo.exitCode()).as(imageIo.err()).isZero();
    assertThat(imageIo.out()).contains("data imageio (ran imageio)");
  }

  @Test
  void unknownDecoderAndMissingFolderAreBadInput(@TempDir Path dir) {
    assertThat(CliRun.of("bench", "data", "--data", dir.toString(), "--decoder", "libjpeg").singleErrorLine())
        .contains("unknown JPEG decoder 'libjpeg'");
    assertThat(CliRun.of("bench", "data", "--data", dir.resolve("nope").toString()).singleErrorLine())
        .contains("nope");
  }
}
