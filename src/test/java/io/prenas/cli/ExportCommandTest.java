package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.onnx.OnnxExport;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpaces;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
import io.prenas.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prenas export} on the micro-a fixtures (ViT and CNN): safetensors and ONNX, and the errors. */
class ExportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path space() throws Exception {
    return Path.of(getClass().getResource("/spaces/micro-a.yaml").toURI());
  }

  private Path arch(int index) throws Exception {
    JsonNode config = JSON.readTree(SharedFiles.microA("subnets.json").toFile()).get("subnets").get(index)
        .get("config");
    Path file = dir.resolve("arch" + index + ".json");
    JSON.writeValue(file.toFile(), config);
    return file;
  }

  @Test
  void onnxGivesTheReferenceLogitsInOnnxRuntime() throws Exception {
    Path onnx = dir.resolve("subnet2.onnx");
    CliRun run = CliRun.of("export", "--space", space().toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(), "--arch", arch(2).toString(),
        "--format", "onnx", "--out", onnx.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("ONNX opset 17");
    Tensor images = Safetensors.read(SharedFiles.microA("batch.safetensors")).tensors().get("x");
    float[] reference = Safetensors.read(SharedFiles.microA("logits.safetensors")).tensors().get("logits.2")
        .toFloats();
    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertLogitsWithin(images, reference, 1e-5f);
    }
    assertThat(dir).isDirectoryNotContaining("glob:**/*.tmp");
  }

  @Test
  void safetensorsWritesTheStandaloneFileAndItsConfigAndConvertsToTheSameOnnx() throws Exception {
    Path weights = dir.resolve("subnet4.safetensors");
    CliRun run = CliRun.of("export", "--space", space().toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(), "--arch", arch(4).toString(),
        "--out", weights.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    long params = JSON.readTree(SharedFiles.microA("subnets.json").toFile()).get("subnets").get(4).get("params")
        .asLong();
    Safetensors.Contents contents = Safetensors.read(weights);
    assertThat(contents.metadata()).containsEntry("format", "prenas-vit-subnet/1")
        .containsEntry("num_params", Long.toString(params));
    assertThat(JSON.readTree(dir.resolve("subnet4.json").toFile()).get("num_params").asLong()).isEqualTo(params);

    Path viaCli = dir.resolve("cli.onnx");
    assertThat(CliRun.of("export", "--space", space().toString(), "--weights",
        SharedFiles.microA("init.safetensors").toString(), "--arch", arch(4).toString(), "--format", "ONNX",
        "--out", viaCli.toString()).exitCode()).isZero();
    Path fromFile = dir.resolve("from-file.onnx");
    ModelFamilies.port(SearchSpaces.resolve(space().toString()), OnnxExport.class).write(weights, fromFile);
    assertThat(Files.readAllBytes(viaCli)).as("the CLI and the server make the same ONNX bytes")
        .isEqualTo(Files.readAllBytes(fromFile));
  }

  /**
   * A CNN space: the standalone model of a cnn-micro-a subnet, exported straight from the fixture's supernet (its
   * stored statistics, no recalibration), as ONNX gives the fixture's logits in ONNX Runtime, and the same bytes as
   * the family's port makes from the safetensors export (what the server does).
   */
  @Test
  void onnxOfACnnSubnetGivesTheFixtureLogitsInOnnxRuntime() throws Exception {
    String space = CnnFixtures.microAYaml().toString();
    String weights = CnnFixtures.microA("init.safetensors").toString();
    JsonNode subnet = JSON.readTree(CnnFixtures.microA("subnets.json").toFile()).get("subnets").get(4);
    Path arch = dir.resolve("cnn-arch4.json");
    JSON.writeValue(arch.toFile(), subnet.get("arch"));
    Path onnx = dir.resolve("cnn4.onnx");
    CliRun run = CliRun.of("export", "--space", space, "--weights", weights, "--arch", arch.toString(),
        "--format", "onnx", "--out", onnx.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("ONNX opset 17").contains(subnet.get("params").asText() + " parameters");
    Tensor images = Safetensors.read(CnnFixtures.microA("batch40.safetensors")).tensors().get("x");
    float[] reference = Safetensors.read(CnnFixtures.microA("logits.safetensors")).tensors().get("logits.4")
        .toFloats();
    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertLogitsWithin(images, reference, 1e-5f);
    }

    Path standalone = dir.resolve("cnn4.safetensors");
    assertThat(CliRun.of("export", "--space", space, "--weights", weights, "--arch", arch.toString(), "--out",
        standalone.toString()).exitCode()).isZero();
    assertThat(Safetensors.read(standalone).metadata()).containsEntry("format", "prenas-cnn-subnet/1");
    Path fromFile = dir.resolve("cnn-from-file.onnx");
    ModelFamilies.port(SearchSpaces.resolve(space), OnnxExport.class).write(standalone, fromFile);
    assertThat(Files.readAllBytes(onnx)).as("the CLI and the server make the same ONNX bytes")
        .isEqualTo(Files.readAllBytes(fromFile));
    assertThat(dir).isDirectoryNotContaining("glob:**/*.tmp");
  }

  @Test
  void badInputIsOneLineAndExitCodeTwo() throws Exception {
    Path out = dir.resolve("x.onnx");
    String weights = SharedFiles.microA("init.safetensors").toString();
    CliRun usage = CliRun.of("export", "--space", space().toString(), "--weights", weights, "--arch",
        arch(0).toString(), "--format", "tflite", "--out", out.toString());
    assertThat(usage.exitCode()).isEqualTo(PrenasCli.EXIT_BAD_INPUT);
    assertThat(usage.err()).startsWith("error: Invalid value for option '--format': unknown format 'tflite'")
        .doesNotContain("\tat ");

    Path two = dir.resolve("two.json");
    JSON.writeValue(two.toFile(), List.of(JSON.readTree(arch(0).toFile()), JSON.readTree(arch(1).toFile())));
    assertThat(CliRun.of("export", "--space", space().toString(), "--weights", weights, "--arch", two.toString(),
        "--format", "onnx", "--out", out.toString()).singleErrorLine()).contains("expected one architecture, found 2");

    // a CNN architecture on ViT weights: the weights are named, whichever format
    Path cnnArch = dir.resolve("cnn.json");
    JSON.writeValue(cnnArch.toFile(), CnnFixtures.bignasGoldenEntries().get(0).get("arch"));
    assertThat(CliRun.of("export", "--space", "bignas-mbv2", "--weights", weights, "--arch", cnnArch.toString(),
        "--format", "onnx", "--out", out.toString()).singleErrorLine()).contains(weights).contains("stem.conv.weight");
    assertThat(out).doesNotExist();
  }
}
