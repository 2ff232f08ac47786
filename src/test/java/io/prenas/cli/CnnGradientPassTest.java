package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.selector.GradientSource;
import io.prenas.selector.PhaseTimes;
import io.prenas.selector.SnipInputs;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNN family's gradient plan through the family-neutral gradient pass (spec cnn-space §8): one pass per
 * resolution, the max architecture at that resolution, summed cross-entropy, train-mode BN, no dropout. Fed the
 * fixture's batches it gives the fixture's gradients (so {@code select --batch} and selection jobs score with the
 * spec's score), and {@code select} reproduces selection.json from them; data-free and one resized batch give valid
 * selections.
 */
class CnnGradientPassTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path micro(String file) {
    return SharedFiles.resolve("fixtures/cnn-micro-a").resolve(file);
  }

  private static GradientSource.Batch batch(String file) throws Exception {
    Map<String, Tensor> t = Safetensors.read(micro(file)).tensors();
    return new GradientSource.Batch(t.get("x"), t.get("y"));
  }

  @Test
  void onePassPerResolutionGivesTheFixtureGradients() throws Exception {
    SearchSpace space = SearchSpaces.resolve(micro("space.yaml").toString());
    Map<Integer, GradientSource.Batch> batches = new TreeMap<>(Map.of(32, batch("batch32.safetensors"),
        40, batch("batch40.safetensors")));
    // micro-batches of 1 run as one pass too: BatchNorm's batch statistics are part of what the gradients are of
    for (int microBatch : List.of(0, 1)) {
      gradientsMatchTheFixture(space, batches, microBatch);
    }
  }

  private static void gradientsMatchTheFixture(SearchSpace space, Map<Integer, GradientSource.Batch> batches,
      int microBatch) throws Exception {
    PhaseTimes times = new PhaseTimes();
    SnipInputs inputs = GradientSource.fromGradientPass(space, new GradientSource.PassSettings(
        micro("init.safetensors"), null, 4, microBatch, 0, 0, null, "cpu"), batches, times);
    assertThat(inputs.isPerResolution()).isTrue();
    assertThat(inputs.resolutions()).containsExactly(32, 40);
    assertThat(times.nanos()).containsKey(GradientSource.GRADIENT_PASS);
    double worst = 0;
    for (int r : List.of(32, 40)) {
      Map<String, Tensor> want = Safetensors.read(micro(r == 40 ? "grads.safetensors" : "grads32.safetensors"))
          .tensors();
      Map<String, Tensor> got = inputs.atResolution(r).grads();
      assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
      double all = want.values().stream().mapToDouble(CnnGradientPassTest::maxAbs).max().orElseThrow();
      for (Map.Entry<String, Tensor> e : want.entrySet()) {
        double d = maxAbsDiff(got.get(e.getKey()), e.getValue());
        double bound = 1e-5 * maxAbs(e.getValue()) + 1e-7 * all; // the fixture README's tolerance
        assertThat(d).as("micro-batch %d, r%d %s", microBatch, r, e.getKey()).isLessThanOrEqualTo(bound);
        worst = Math.max(worst, d / bound);
      }
    }
    System.out.println("cnn-micro-a gradients of the job path: max |diff| / tolerance " + worst);
  }

  @Test
  void selectOnTheFixtureBatchesReproducesSelectionJson(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("sel.json");
    Run r = run(List.of("select", "--space", micro("space.yaml").toString(), "--weights",
        micro("init.safetensors").toString(), "--batch", "32=" + micro("batch32.safetensors"), "--batch",
        "40=" + micro("batch40.safetensors"), "--device", "cpu", "--bin-by", "flops", "--min", "500K", "--max", "5M",
        "--interval", "500K", "--top", "2", "--out", out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode expected = JSON.readTree(micro("selection.json").toFile()).get("selection");
    JsonNode actual = JSON.readTree(out.toFile());
    assertThat(fieldNames(actual)).containsExactlyElementsOf(fieldNames(expected));
    for (String key : fieldNames(expected)) {
      for (int i = 0; i < expected.get(key).size(); i++) {
        JsonNode w = expected.get(key).get(i);
        JsonNode g = actual.get(key).get(i);
        assertThat(g.get("id").asText()).as(key + " #" + i).isEqualTo(w.get("id").asText());
        // gradients within 1e-5 of their tensor's max: the score within 1e-5 relative (rank gaps are >= 1.7e-4)
        assertThat(Math.abs(g.get("score").asDouble() - w.get("score").asDouble()))
            .isLessThanOrEqualTo(1e-5 * w.get("score").asDouble());
      }
    }
  }

  @Test
  void dataFreeAndOneResizedBatchGiveValidSelections(@TempDir Path dir) throws Exception {
    for (List<String> input : List.of(List.of("--data-free", "--batch-size", "6", "--seed", "3"),
        List.of("--batch", micro("batch40.safetensors").toString()))) {
      Path out = dir.resolve("sel.json");
      List<String> args = new ArrayList<>(List.of("select", "--space", micro("space.yaml").toString(), "--weights",
          micro("init.safetensors").toString(), "--device", "cpu", "--bin-by", "params", "--min", "0.01",
          "--max", "0.14", "--interval", "0.02", "--top", "2", "--out", out.toString()));
      args.addAll(input);
      Run r = run(args);
      assertThat(r.code()).as(input + r.err()).isZero();
      JsonNode sel = JSON.readTree(out.toFile());
      assertThat(fieldNames(sel)).as(input.toString()).isNotEmpty();
      SearchSpace space = SearchSpaces.resolve(micro("space.yaml").toString());
      for (String key : fieldNames(sel)) {
        JsonNode bin = sel.get(key);
        assertThat(bin.size()).isBetween(1, 2);
        double upper = Double.parseDouble(key) * 1e6;
        for (int i = 0; i < bin.size(); i++) {
          JsonNode e = bin.get(i);
          com.fasterxml.jackson.databind.node.ObjectNode arch = JSON.createObjectNode();
          for (String f : List.of("resolution", "stem", "stages", "head")) arch.set(f, e.get(f));
          assertThat(space.contains(space.readArchitecture(arch))).isTrue();
          assertThat(e.get("params").asDouble()).isLessThan(upper).isGreaterThanOrEqualTo(upper - 20_000);
          assertThat(e.get("score").asDouble()).isPositive();
          if (i > 0) {
            assertThat(e.get("score").asDouble()).isLessThanOrEqualTo(bin.get(i - 1).get("score").asDouble());
          }
        }
      }
    }
  }

  @Test
  void aCnnSpaceTakesOnlyItsOwnLoss(@TempDir Path dir) {
    Run r = run(List.of("select", "--space", micro("space.yaml").toString(), "--data-free", "--loss", "sum",
        "--bin-by", "flops", "--min", "500K", "--max", "5M", "--interval", "500K", "--out",
        dir.resolve("s.json").toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("SUMMED_CROSS_ENTROPY").contains("drop --loss");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
    return names;
  }

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (float v : t.toFloats()) m = Math.max(m, Math.abs(v));
    return m;
  }

  private static double maxAbsDiff(Tensor a, Tensor b) {
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    assertThat(x.length).isEqualTo(y.length);
    double m = 0;
    for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
    return m;
  }
}
