package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import io.prenas.training.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prenas forward} end to end on the micro-a fixtures. */
class ForwardCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return PrenasCli.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private Path space() throws Exception {
    return Path.of(getClass().getResource("/spaces/micro-a.yaml").toURI());
  }

  /** The six configs of subnets.json as a plain JSON array of reference configs. */
  private Path archs() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> configs = new ArrayList<>();
    json.readTree(SharedFiles.microA("subnets.json").toFile()).get("subnets")
        .forEach(s -> configs.add(s.get("config")));
    Path file = dir.resolve("archs.json");
    json.writeValue(file.toFile(), configs);
    return file;
  }

  @Test
  void writesTheReferenceLogitsOfEveryArchitecture() throws Exception {
    Path result = dir.resolve("logits.safetensors");
    int code = run("forward", "--space", space().toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--input", SharedFiles.microA("batch.safetensors").toString(),
        "--archs", archs().toString(), "--out", result.toString());
    assertThat(code).as(err.toString()).isZero();
    Map<String, Tensor> got = Safetensors.read(result).tensors();
    Map<String, Tensor> want = Safetensors.read(SharedFiles.microA("logits.safetensors")).tensors();
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    for (String key : want.keySet()) {
      float[] a = got.get(key).toFloats();
      float[] b = want.get(key).toFloats();
      assertThat(got.get(key).shape()).containsExactly(8, 10);
      for (int i = 0; i < a.length; i++) {
        assertThat(Math.abs(a[i] - b[i])).as(key).isLessThanOrEqualTo(5e-6f);
      }
    }
  }

  @Test
  void aTrainingCheckpointGivesTheLogitsOfItsWeights() throws Exception {
    Map<String, Tensor> weights = Safetensors.read(SharedFiles.microA("init.safetensors")).tensors();
    Map<String, Tensor> moments = new java.util.LinkedHashMap<>();
    weights.forEach((k, v) -> moments.put(TrainingSession.FIRST_MOMENT_PREFIX + k, v));
    Path checkpoint = dir.resolve("checkpoint.safetensors");
    new Checkpoint(weights, moments, new Checkpoint.State("micro-a", 1, 0, 5, 5, 0, 0, "balanced", 8, 1, Map.of()))
        .write(checkpoint);
    Map<String, Tensor> fromCheckpoint = forward(checkpoint, "a.safetensors");
    Map<String, Tensor> fromWeights = forward(SharedFiles.microA("init.safetensors"), "b.safetensors");
    assertThat(fromCheckpoint.keySet()).containsExactlyElementsOf(fromWeights.keySet());
    fromWeights.forEach((k, v) -> assertThat(fromCheckpoint.get(k).toFloats()).as(k).containsExactly(v.toFloats()));
  }

  private Map<String, Tensor> forward(Path weights, String name) throws Exception {
    Path result = dir.resolve(name);
    int code = run("forward", "--space", space().toString(), "--weights", weights.toString(),
        "--input", SharedFiles.microA("batch.safetensors").toString(), "--archs", archs().toString(),
        "--out", result.toString());
    assertThat(code).as(err.toString()).isZero();
    return Safetensors.read(result).tensors();
  }

  @Test
  void wrongWeightsAreABadInputNamingTheTensor() throws Exception {
    // logits.safetensors is a valid safetensors file but not supernet weights.
    int code = run("forward", "--space", space().toString(),
        "--weights", SharedFiles.microA("logits.safetensors").toString(),
        "--input", SharedFiles.microA("batch.safetensors").toString(),
        "--archs", archs().toString(), "--out", dir.resolve("o.safetensors").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("pos_embed").contains("missing");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void architectureOutsideTheSpaceIsABadInput() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[{\"layer_num\": 2, \"embed_dim\": [96, 96], \"mlp_ratio\": [4.0, 4.0],"
        + " \"num_heads\": [1, 1]}]");
    int code = run("forward", "--space", space().toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--input", SharedFiles.microA("batch.safetensors").toString(),
        "--archs", bad.toString(), "--out", dir.resolve("o.safetensors").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("layer_num");
  }

  @Test
  void inputOfTheWrongSizeIsABadInput() throws Exception {
    Path x = dir.resolve("x.safetensors");
    Safetensors.write(x, Map.of("x", Tensor.ofFloats(new long[] {1, 3, 32, 32}, new float[3 * 32 * 32])), Map.of());
    int code = run("forward", "--space", space().toString(),
        "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--input", x.toString(), "--archs", archs().toString(), "--out", dir.resolve("o.safetensors").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("[1, 3, 32, 32]");
  }
}
