package io.prenas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.testing.SharedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectCommandTest {

  private static final String MICRO_A = "src/test/resources/spaces/micro-a.yaml";

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static List<String> referenceArgs(Path outFile, String... extra) {
    List<String> args = new ArrayList<>(List.of("select", "--space", MICRO_A,
        "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--grads", SharedFiles.microA("grads.safetensors").toString(),
        "--bin-by", "params", "--min", "0.375", "--max", "1.125", "--interval", "0.125", "--top", "1",
        "--score-compat", "reference", "--out", outFile.toString()));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void reproducesTheReferenceSelection(@TempDir Path dir) throws Exception {
    Path outFile = dir.resolve("preferred.json");
    Run r = run(referenceArgs(outFile).toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    JsonNode expected = new ObjectMapper().readTree(SharedFiles.microA("selection.json").toFile());
    JsonNode actual = new ObjectMapper().readTree(outFile.toFile());
    List<String> keys = new ArrayList<>();
    actual.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("0.5", "0.625", "0.75", "0.875", "1.0"), keys);
    for (String key : keys) {
      JsonNode e = expected.get(key).get(0);
      JsonNode a = actual.get(key).get(0);
      for (String field : List.of("layer_num", "mlp_ratio", "num_heads", "embed_dim", "num_params", "score")) {
        assertEquals(e.get(field), a.get(field), key + "." + field);
      }
      assertEquals("params", a.get("bin_by").asText());
    }
    // The table names every kept architecture and its isomer group size.
    assertTrue(r.out().contains("e96_d4_h1-1-1-1_m4-3.5-4-4"), r.out());
    assertTrue(r.out().contains("82 architectures enumerated, 1 outside the bins"), r.out());
  }

  /**
   * {@code --precision bf16} runs the gradient pass in mixed precision: the same bins get an architecture each, and
   * each pick's score is the fp32 score of that pick to bfloat16 rounding. A misspelt precision is one clear line.
   */
  @Test
  void aBfloat16GradientPassScoresLikeFloat32(@TempDir Path dir) throws Exception {
    List<String> common = List.of("select", "--space", MICRO_A, "--weights",
        SharedFiles.microA("init.safetensors").toString(), "--batch", SharedFiles.microA("batch.safetensors").toString(),
        "--bin-by", "params", "--min", "0.375", "--max", "1.125", "--interval", "0.125", "--top", "100");
    JsonNode[] tables = new JsonNode[2];
    String[] precisions = {"fp32", "bf16"};
    for (int i = 0; i < 2; i++) {
      Path outFile = dir.resolve(precisions[i] + ".json");
      List<String> args = new ArrayList<>(common);
      args.addAll(List.of("--precision", precisions[i], "--out", outFile.toString()));
      Run r = run(args.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      tables[i] = new ObjectMapper().readTree(outFile.toFile());
    }
    List<String> keys = new ArrayList<>();
    tables[0].fieldNames().forEachRemaining(keys::add);
    List<String> bf16Keys = new ArrayList<>();
    tables[1].fieldNames().forEachRemaining(bf16Keys::add);
    assertEquals(keys, bf16Keys);
    for (String key : keys) {
      JsonNode pick = tables[1].get(key).get(0);
      JsonNode same = null;
      for (JsonNode row : tables[0].get(key)) {
        if (row.get("num_heads").equals(pick.get("num_heads")) && row.get("mlp_ratio").equals(pick.get("mlp_ratio"))
            && row.get("embed_dim").equals(pick.get("embed_dim"))) {
          same = row;
        }
      }
      assertTrue(same != null, "bf16's pick of bin " + key + " is among fp32's candidates");
      double fp32 = same.get("score").asDouble();
      assertEquals(fp32, pick.get("score").asDouble(), 0.01 * fp32, "score of bin " + key + "'s pick");
    }

    List<String> bad = new ArrayList<>(common);
    bad.addAll(List.of("--precision", "fp16", "--out", dir.resolve("x.json").toString()));
    Run r = run(bad.toArray(String[]::new));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--precision: precision must be fp32 or bf16, got 'fp16'"), r.err());
  }

  /** Gradients from files leave no gradient pass to run: its number format is refused, not silently ignored. */
  @Test
  void precisionWithGradsIsBadInput(@TempDir Path dir) {
    Run r = run("select", "--space", MICRO_A, "--weights", SharedFiles.microA("init.safetensors").toString(),
        "--grads", SharedFiles.microA("grads.safetensors").toString(), "--precision", "bf16",
        "--min", "0.375", "--max", "1.125", "--interval", "0.125", "--out", dir.resolve("x.json").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--grads replaces the gradient pass, so --precision"), r.err());
    assertFalse(Files.exists(dir.resolve("x.json")), "nothing written");
  }

  @Test
  void gradsWithoutWeightsIsBadInput(@TempDir Path dir) {
    Run r = run("select", "--space", MICRO_A, "--grads", SharedFiles.microA("grads.safetensors").toString(),
        "--min", "0.375", "--max", "1.125", "--interval", "0.125", "--out", dir.resolve("x.json").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--grads needs --weights"), r.err());
    assertEquals(1, r.err().strip().lines().count());
  }

  @Test
  void invertedBoundsAndEmptyResultsAreBadInput(@TempDir Path dir) {
    Path outFile = dir.resolve("x.json");
    List<String> inverted = referenceArgs(outFile);
    inverted.set(inverted.indexOf("--min") + 1, "2");
    Run r = run(inverted.toArray(String[]::new));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("must be below the upper bound"), r.err());

    List<String> empty = referenceArgs(outFile);
    empty.set(empty.indexOf("--min") + 1, "5");
    empty.set(empty.indexOf("--max") + 1, "6");
    r = run(empty.toArray(String[]::new));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no architecture falls in [5.0, 6.0) M params"), r.err());
    assertFalse(Files.exists(outFile));
  }

  @Test
  void binsByFlops(@TempDir Path dir) throws Exception {
    Path outFile = dir.resolve("flops.json");
    List<String> args = referenceArgs(outFile);
    args.set(args.indexOf("--bin-by") + 1, "flops");
    args.set(args.indexOf("--min") + 1, "0.005");
    args.set(args.indexOf("--max") + 1, "0.017");
    args.set(args.indexOf("--interval") + 1, "0.004");
    Run r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    JsonNode actual = new ObjectMapper().readTree(outFile.toFile());
    actual.fields().forEachRemaining(bin -> {
      JsonNode entry = bin.getValue().get(0);
      assertEquals("flops", entry.get("bin_by").asText());
      double g = entry.get("flops").asDouble() / 1e9;
      assertTrue(g >= entry.get("bin_lower").asDouble() && g < entry.get("bin_upper").asDouble(), bin.getKey());
    });
  }
}
