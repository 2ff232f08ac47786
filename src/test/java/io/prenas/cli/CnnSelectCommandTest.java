package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.Resource;
import io.prenas.testing.SharedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code select} on a CNN space from stored gradients, one file per resolution (spec cnn-space §8): reproduces
 * cnn-micro-a's selection.json in order, with exact K/M/G bounds; bad inputs are one clear error line.
 */
class CnnSelectCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int code, String out, String err) {
    String singleErrorLine() {
      assertThat(code).as(out + err).isEqualTo(2);
      assertThat(err.strip().lines().count()).as(err).isEqualTo(1);
      return err.strip();
    }
  }

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static Path micro(String file) {
    return SharedFiles.resolve("fixtures/cnn-micro-a").resolve(file);
  }

  private static List<String> args(Path out, String... bounds) {
    List<String> args = new ArrayList<>(List.of("select", "--space", micro("space.yaml").toString(),
        "--weights", micro("init.safetensors").toString(),
        "--grads", "32=" + micro("grads32.safetensors"), "--grads", "40=" + micro("grads.safetensors"),
        "--bin-by", "flops"));
    args.addAll(List.of(bounds));
    args.addAll(List.of("--top", "2", "--out", out.toString()));
    return args;
  }

  /**
   * The baselines: {@code --rank-by flops} keeps the bins' largest architectures (each at most its bin's upper bound,
   * at least every score pick's FLOPs) and {@code --rank-by random} other members of the same bins, all with scores.
   */
  @Test
  void baselinePicksKeepTheBinsOfTheScorePicks(@TempDir Path dir) throws Exception {
    JsonNode byScore = select(dir.resolve("score.json"), "score");
    JsonNode byFlops = select(dir.resolve("flops.json"), "flops");
    JsonNode random = select(dir.resolve("random.json"), "random");
    List<String> keys = new ArrayList<>();
    byScore.fieldNames().forEachRemaining(keys::add);
    for (JsonNode other : List.of(byFlops, random)) {
      List<String> otherKeys = new ArrayList<>();
      other.fieldNames().forEachRemaining(otherKeys::add);
      assertThat(otherKeys).isEqualTo(keys);
    }
    for (String key : keys) {
      long upper = new BigDecimal(key).multiply(BigDecimal.valueOf(1_000_000)).longValueExact();
      long largest = byFlops.get(key).get(0).get("flops").asLong();
      assertThat(largest).isLessThan(upper).isGreaterThanOrEqualTo(byFlops.get(key).get(1).get("flops").asLong());
      for (JsonNode pick : byScore.get(key)) assertThat(pick.get("flops").asLong()).isLessThanOrEqualTo(largest);
      for (JsonNode pick : random.get(key)) {
        assertThat(pick.get("flops").asLong()).isLessThan(upper).isGreaterThanOrEqualTo(upper - 500_000);
        assertThat(pick.get("score").asDouble()).isPositive();
      }
    }
  }

  private static JsonNode select(Path out, String rankBy) throws Exception {
    List<String> args = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    args.addAll(List.of("--rank-by", rankBy, "--seed", "1"));
    Run r = run(args);
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(out.toFile());
  }

  @Test
  void reproducesSelectionJsonInOrder(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("sel.json");
    Run r = run(args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode expected = JSON.readTree(micro("selection.json").toFile()).get("selection");
    JsonNode actual = JSON.readTree(out.toFile());
    List<String> expectedKeys = new ArrayList<>();
    expected.fieldNames().forEachRemaining(expectedKeys::add);
    List<String> keys = new ArrayList<>();
    actual.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(expectedKeys); // "1.0" ... "5.0", ascending
    for (String key : keys) {
      JsonNode want = expected.get(key);
      JsonNode got = actual.get(key);
      assertThat(got).hasSize(want.size());
      for (int i = 0; i < want.size(); i++) {
        JsonNode w = want.get(i);
        JsonNode g = got.get(i);
        assertThat(g.get("id").asText()).as(key + " #" + i).isEqualTo(w.get("id").asText());
        assertThat(g.get("flops").asLong()).isEqualTo(w.get("flops").asLong());
        assertThat(g.get("params").asLong()).isEqualTo(w.get("params").asLong());
        assertThat(Math.abs(g.get("score").asDouble() - w.get("score").asDouble()))
            .isLessThanOrEqualTo(1e-6 * w.get("score").asDouble());
        for (String field : List.of("resolution", "stem", "stages", "head")) {
          assertThat(g.get(field)).as(key + " #" + i + " " + field).isEqualTo(w.get("arch").get(field));
        }
        assertThat(g.get("bin_by").asText()).isEqualTo("flops");
      }
    }
    assertThat(r.out()).contains("10752 architectures enumerated, 15 outside the bins");
    // The same bins in plain numbers (G FLOPs, the unit select always had) select the same.
    Path plain = dir.resolve("plain.json");
    Run p = run(args(plain, "--min", "0.0005", "--max", "0.005", "--interval", "0.0005"));
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(JSON.readTree(plain.toFile())).isEqualTo(actual);
  }

  @Test
  void benchSelectExactWritesPerBinTimesAndTheExactCounts(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench.json");
    Run r = run(List.of("bench", "select-exact", "--space", micro("space.yaml").toString(), "--min", "500K", "--max",
        "5M", "--interval", "500K", "--warmup", "0", "--repeats", "3", "--threads", "1", "--out", out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(out.toFile());
    JsonNode expected = JSON.readTree(micro("selection.json").toFile());
    assertThat(result.get("tables").get("architectures_counted").asLong()).isEqualTo(10_752);
    assertThat(result.get("bins")).hasSize(9);
    for (int i = 0; i < 9; i++) {
      JsonNode bin = result.get("bins").get(i);
      JsonNode want = expected.get("per_bin").get(i);
      assertThat(bin.get("key").asText()).isEqualTo(want.get("key").asText());
      assertThat(bin.get("count").asLong()).isEqualTo(want.get("count").asLong()); // counts do not depend on scores
      assertThat(bin.get("top")).hasSize(2);
      assertThat(bin.get("median_ms").asDouble()).isLessThanOrEqualTo(bin.get("max_ms").asDouble());
    }
    Path vit = dir.resolve("vit.json");
    assertThat(run(List.of("bench", "select-exact", "--space", "src/test/resources/spaces/micro-a.yaml", "--out",
        vit.toString())).singleErrorLine()).contains("has no SelectionBenchmark");
  }

  @Test
  void suffixesAreExact() {
    assertThat(BinBound.parse("--min", "1.5M", Resource.FLOPS)).isEqualByComparingTo(new BigDecimal("1500000"));
    assertThat(BinBound.parse("--min", "3M", Resource.PARAMS)).isEqualByComparingTo(new BigDecimal("3000000"));
    assertThat(BinBound.parse("--min", "250k", Resource.FLOPS)).isEqualByComparingTo(new BigDecimal("250000"));
    assertThat(BinBound.parse("--min", "0.1G", Resource.FLOPS)).isEqualByComparingTo(new BigDecimal("100000000"));
    assertThat(BinBound.parse("--min", "0.1", Resource.FLOPS)).isEqualByComparingTo(new BigDecimal("100000000"));
    assertThat(BinBound.parse("--min", "5.5", Resource.PARAMS)).isEqualByComparingTo(new BigDecimal("5500000"));
  }

  @Test
  void badInputsAreOneClearLine(@TempDir Path dir) {
    Path out = dir.resolve("sel.json");
    List<String> missing = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    missing.subList(missing.indexOf("--grads"), missing.indexOf("--grads") + 2).clear();
    assertThat(run(missing).singleErrorLine()).contains("no gradients for resolution 32");

    List<String> foreign = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    foreign.set(foreign.indexOf("--grads") + 1, "48=" + micro("grads32.safetensors"));
    assertThat(run(foreign).singleErrorLine()).contains("resolution 48").contains("[32, 40]");

    List<String> single = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    single.subList(single.indexOf("--grads"), single.indexOf("--grads") + 4).clear();
    single.addAll(List.of("--grads", micro("grads.safetensors").toString()));
    assertThat(run(single).singleErrorLine()).contains("one set of gradients per resolution");

    assertThat(run(args(out, "--min", "3X", "--max", "5M", "--interval", "0.5M")).singleErrorLine())
        .contains("--min: '3X' is not a number with an optional K, M or G suffix");
    assertThat(run(args(out, "--min", "-1M", "--max", "5M", "--interval", "0.5M")).singleErrorLine())
        .contains("lower bound must not be negative");
    assertThat(run(args(out, "--min", "5M", "--max", "5M", "--interval", "0.5M")).singleErrorLine())
        .contains("must be below the upper bound");
    assertThat(run(args(out, "--min", "500K", "--max", "5MM", "--interval", "0.5M")).singleErrorLine())
        .contains("--max: '5MM'");
    assertThat(run(args(out, "--min", "500K", "--max", "5M", "--interval", "M")).singleErrorLine())
        .contains("--interval: 'M'");

    List<String> badResolution = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    badResolution.set(badResolution.indexOf("--grads") + 1, "r32=" + micro("grads32.safetensors"));
    assertThat(run(badResolution).singleErrorLine()).contains("--grads 'r32=").contains("positive integer");

    List<String> twice = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    twice.set(twice.indexOf("--grads") + 3, "32=" + micro("grads.safetensors"));
    assertThat(run(twice).singleErrorLine()).contains("resolution 32 is given twice");

    assertThat(run(args(out, "--min", "100G", "--max", "200G", "--interval", "10G")).singleErrorLine())
        .contains("has FLOPs (MACs) in [100000000000, 200000000000); its architectures have 429184 to 5062672");
    Run vit = run(List.of("select", "--space", "src/test/resources/spaces/micro-a.yaml", "--weights",
        SharedFiles.microA("init.safetensors").toString(), "--grads", "224=" + SharedFiles.microA("grads.safetensors"),
        "--min", "0.375", "--max", "1.125", "--interval", "0.125", "--out", out.toString()));
    assertThat(vit.singleErrorLine()).contains("the gradients are given per resolution [224]")
        .contains("takes a single set");

    List<String> unknownRanking = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    unknownRanking.addAll(List.of("--rank-by", "size"));
    assertThat(run(unknownRanking).singleErrorLine()).contains("--rank-by must be score, params, flops or random");

    List<String> reference = args(out, "--min", "500K", "--max", "5M", "--interval", "0.5M");
    reference.addAll(List.of("--score-compat", "reference"));
    assertThat(run(reference).singleErrorLine()).contains("reference score mode exists for ViT spaces only");
    assertThat(out).doesNotExist();
  }
}
