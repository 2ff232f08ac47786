package io.prenas.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.cli.PrenasCli;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prenas forward} on a CNN space (cnn-micro-a): each architecture at its resolution, with the stored
 * statistics and with {@code --recalibrate}, against {@code logits.safetensors} and {@code logits_recal.safetensors};
 * the refusals name what is at fault.
 */
class CnnForwardCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void recalibratedLogitsOfEverySubnetMatchTheFixture() throws IOException {
    assertForward(true, "logits_recal.safetensors");
  }

  @Test
  void logitsWithTheStoredStatisticsMatchTheFixture() throws IOException {
    assertForward(false, "logits.safetensors");
  }

  /** One run per resolution (the input batch is at one size), the subnets of that resolution in file order. */
  private void assertForward(boolean recalibrate, String expectedFile) throws IOException {
    Map<String, Tensor> want = Safetensors.read(CnnFixtures.microA(expectedFile)).tensors();
    List<JsonNode> subnets = new ArrayList<>();
    CnnFixtures.json(CnnFixtures.microA("subnets.json")).get("subnets").forEach(subnets::add);
    int compared = 0;
    for (int r : new int[] {32, 40}) {
      List<Integer> indices = new ArrayList<>();
      List<JsonNode> archs = new ArrayList<>();
      for (int i = 0; i < subnets.size(); i++) {
        if (subnets.get(i).get("arch").get("resolution").asInt() == r) {
          indices.add(i);
          archs.add(subnets.get(i).get("arch"));
        }
      }
      Path archFile = dir.resolve("archs" + r + ".json");
      JSON.writeValue(archFile.toFile(), archs);
      Path out = dir.resolve("logits" + r + ".safetensors");
      List<String> args = new ArrayList<>(List.of("forward", "--space", CnnFixtures.microAYaml().toString(),
          "--weights", CnnFixtures.microA("init.safetensors").toString(),
          "--input", CnnFixtures.microA("batch" + r + ".safetensors").toString(),
          "--archs", archFile.toString(), "--out", out.toString(), "--device", "cpu"));
      if (recalibrate) {
        args.addAll(List.of("--recalibrate", CnnFixtures.microA("recal" + r + ".safetensors").toString()));
      }
      Run run = Run.of(args.toArray(String[]::new));
      assertThat(run.code).as(run.err).isZero();
      Map<String, Tensor> got = Safetensors.read(out).tensors();
      assertThat(got).hasSize(indices.size());
      for (int k = 0; k < indices.size(); k++) {
        float[] a = got.get("logits." + k).toFloats();
        float[] b = want.get("logits." + indices.get(k)).toFloats();
        assertThat(a).hasSameSizeAs(b);
        for (int v = 0; v < a.length; v++) {
          assertThat((double) Math.abs(a[v] - b[v])).as("subnet %d", indices.get(k)).isLessThanOrEqualTo(1e-5);
        }
        compared++;
      }
    }
    assertThat(compared).isEqualTo(6);
  }

  @Test
  void anInputAtAnotherResolutionIsNamed() throws IOException {
    Path archs = dir.resolve("archs.json");
    JSON.writeValue(archs.toFile(), List.of(CnnFixtures.json(CnnFixtures.microA("subnets.json")).get("subnets")
        .get(5).get("arch")));
    String error = Run.of("forward", "--space", CnnFixtures.microAYaml().toString(),
        "--weights", CnnFixtures.microA("init.safetensors").toString(),
        "--input", CnnFixtures.microA("batch32.safetensors").toString(),
        "--archs", archs.toString(), "--out", dir.resolve("l.safetensors").toString(),
        "--recalibrate", CnnFixtures.microA("recal40.safetensors").toString()).singleErrorLine();
    assertThat(error).contains("batch32.safetensors").contains("runs at resolution 40");
    String recal = Run.of("forward", "--space", CnnFixtures.microAYaml().toString(),
        "--weights", CnnFixtures.microA("init.safetensors").toString(),
        "--input", CnnFixtures.microA("batch40.safetensors").toString(),
        "--archs", archs.toString(), "--out", dir.resolve("l.safetensors").toString(),
        "--recalibrate", CnnFixtures.microA("recal32.safetensors").toString()).singleErrorLine();
    assertThat(recal).contains("recal32.safetensors").contains("architecture #0").contains("runs at resolution 40");
    String noBatches = Run.of("forward", "--space", CnnFixtures.microAYaml().toString(),
        "--weights", CnnFixtures.microA("init.safetensors").toString(),
        "--input", CnnFixtures.microA("batch40.safetensors").toString(),
        "--archs", archs.toString(), "--out", dir.resolve("l.safetensors").toString(),
        "--recalibrate", CnnFixtures.microA("batch40.safetensors").toString()).singleErrorLine();
    assertThat(noBatches).contains("no tensor 'x.0'");
    assertThat(dir.resolve("l.safetensors")).doesNotExist();
  }

  @Test
  void recalibrateOnAFamilyWithoutBatchNormIsRefused() throws Exception {
    Path vitSpace = Path.of(getClass().getResource("/spaces/micro-a.yaml").toURI());
    Path archs = dir.resolve("archs.json");
    List<JsonNode> configs = new ArrayList<>();
    JSON.readTree(SharedFiles.microA("subnets.json").toFile()).get("subnets").forEach(s -> configs.add(s.get("config")));
    JSON.writeValue(archs.toFile(), configs);
    String error = Run.of("forward", "--space", vitSpace.toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--input", SharedFiles.microA("batch.safetensors").toString(), "--archs", archs.toString(),
        "--out", dir.resolve("l.safetensors").toString(),
        "--recalibrate", CnnFixtures.microA("recal32.safetensors").toString()).singleErrorLine();
    assertThat(error).contains("--recalibrate").contains("vit supernet").contains("no BatchNorm statistics");
  }

  /** One CLI run with captured output. */
  private record Run(int code, String out, String err) {

    static Run of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      return new Run(code, out.toString(), err.toString());
    }

    String singleErrorLine() {
      assertThat(code).as("exit code; stderr: " + err).isEqualTo(PrenasCli.EXIT_BAD_INPUT);
      assertThat(out).isEmpty();
      assertThat(err.strip().lines()).as(err).hasSize(1);
      assertThat(err).startsWith("error: ").doesNotContain("\tat ");
      return err.strip();
    }
  }
}
