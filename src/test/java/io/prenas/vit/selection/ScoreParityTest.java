package io.prenas.vit.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.TorchFloatSum;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.VitArchitecture;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block scores and candidate scores against the reference's micro-a values. */
class ScoreParityTest {

  @Test
  void blockScoresMatchReference() throws Exception {
    BlockScoreTable table = LayerNormalisedSnip.compute(MicroA.SPACE, MicroA.inputs());
    JsonNode expected = new ObjectMapper().readTree(SharedFiles.microA("block_scores.json").toFile());
    double worst = 0;
    for (String part : List.of("head_scores", "mlp_scores")) {
      Map<String, List<Float>> actual = part.equals("head_scores") ? table.headScores() : table.mlpScores();
      JsonNode node = expected.get(part);
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      assertEquals(keys, new ArrayList<>(actual.keySet()), part + " keys");
      for (String key : keys) {
        for (int l = 0; l < node.get(key).size(); l++) {
          double want = node.get(key).get(l).asDouble();
          double got = actual.get(key).get(l);
          worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
        }
        assertEquals(node.get(key).size(), actual.get(key).size());
      }
    }
    System.out.println("block scores: max relative difference " + worst);
    assertTrue(worst < 1e-5, "max relative difference " + worst);
  }

  @Test
  void referenceScoresMatchEveryEnumeratedCandidate() throws Exception {
    CandidateScorer scorer = CandidateScorer.precompute(MicroA.SPACE, MicroA.inputs(), ScoreMode.REFERENCE, 2);
    List<String> lines = Files.readAllLines(SharedFiles.microA("enumeration.csv"));
    double worst = 0;
    int exact = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      VitArchitecture arch = new VitArchitecture(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
          Arrays.stream(f[3].split(" ")).map(Double::valueOf).toList(),
          Arrays.stream(f[4].split(" ")).map(Integer::valueOf).toList());
      float want = Float.intBitsToFloat(Integer.parseUnsignedInt(f[9], 16));
      double got = scorer.score(arch);
      worst = Math.max(worst, Math.abs(got - want) / want);
      if ((float) got == want) exact++;
    }
    System.out.println("reference scores: max relative difference " + worst + ", exact " + exact + "/"
        + (lines.size() - 1));
    assertTrue(worst < 1e-5, "max relative difference " + worst);
    assertEquals(lines.size() - 1, exact, "scores equal as float32");
  }

  @Test
  void subnetScoresMatchBruteForceSlicing() {
    CandidateScorer scorer = CandidateScorer.precompute(MicroA.SPACE, MicroA.inputs(), ScoreMode.SUBNET, 1);
    List<VitArchitecture> archs = List.of(MicroA.SPACE.minArchitecture(), MicroA.SPACE.maxArchitecture(),
        new VitArchitecture(128, 3, List.of(4.0, 3.5, 4.0), List.of(2, 1, 1)),
        new VitArchitecture(96, 4, List.of(3.5, 4.0, 4.0, 3.5), List.of(1, 2, 1, 2)));
    for (VitArchitecture arch : archs) {
      double want = BruteForceSlices.subnetScore(MicroA.inputs(), 128, MicroA.SPACE.model(), arch);
      double got = scorer.score(arch);
      assertEquals(want, got, 1e-12 * want, arch.id());
      // The subnet score covers cls, pos and rel-pos, which the reference leaves out.
      assertTrue(got > BruteForceSlices.referenceScore(MicroA.inputs(), 128, MicroA.SPACE.model(), arch, 8));
    }
  }

  @Test
  void torchSumOfSmallInputsIsASerialSum() {
    float[] x = {1f, 2f, 3f};
    assertEquals(6f, TorchFloatSum.sum(x, 3, 8));
    assertEquals(1, TorchFloatSum.ceilLog2(2));
    assertEquals(4, TorchFloatSum.ceilLog2(16));
    assertEquals(5, TorchFloatSum.ceilLog2(17));
  }
}
