package io.prenas.vit.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.selector.PreferredJson;
import io.prenas.selector.PreferredSelector;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.Resource;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.SpaceFixtures;
import io.prenas.vit.space.VitArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole reference search on micro-a: enumeration, scores, bins, ranks and the selection files. */
class SelectionParityTest {

  private static List<ScoredCandidate> candidates;

  @BeforeAll
  static void enumerate() {
    BlockScoreTable blocks = LayerNormalisedSnip.compute(MicroA.SPACE, MicroA.inputs());
    CandidateScorer scorer = CandidateScorer.precompute(MicroA.SPACE, MicroA.inputs(), ScoreMode.REFERENCE, 1);
    candidates = VitCandidateSelection.enumerateAndScore(MicroA.SPACE, blocks, scorer);
  }

  static SelectionSettings referenceBins(int top) {
    return new SelectionSettings(Resource.PARAMS, 0.375, 1.125, 0.125, top);
  }

  @Test
  void everyEnumerationRowMatches() throws Exception {
    List<String> lines = Files.readAllLines(SharedFiles.microA("enumeration.csv"));
    assertEquals(lines.size() - 1, candidates.size(), "number of enumerated candidates");
    Selection selection = PreferredSelector.select(candidates, referenceBins(1));
    Map<Integer, Integer> rankOf = new HashMap<>();
    Map<Integer, String> keyOf = new HashMap<>();
    Map<Integer, Integer> binOf = new HashMap<>();
    for (Selection.BinResult bin : selection.nonEmptyBins()) {
      for (int r = 0; r < bin.ranked().size(); r++) {
        int index = bin.ranked().get(r).index();
        rankOf.put(index, r + 1);
        keyOf.put(index, bin.bin().key());
        binOf.put(index, bin.bin().index());
      }
    }
    double worst = 0;
    for (int row = 1; row < lines.size(); row++) {
      String[] f = lines.get(row).split(",", -1);
      ScoredCandidate c = candidates.get(row - 1);
      VitArchitecture want = new VitArchitecture(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
          Arrays.stream(f[3].split(" ")).map(Double::valueOf).toList(),
          Arrays.stream(f[4].split(" ")).map(Integer::valueOf).toList());
      String where = "row " + f[0];
      assertEquals(want, c.architecture(), where);
      assertEquals(Long.parseLong(f[5]), c.params(), where);
      assertEquals(Double.parseDouble(f[6]), c.params() / 1e6, where);
      assertEquals(Double.parseDouble(f[7]), c.flops(), where);
      float score = Float.intBitsToFloat(Integer.parseUnsignedInt(f[9], 16));
      worst = Math.max(worst, Math.abs(c.score() - score) / score);
      int bin = Integer.parseInt(f[10]);
      assertEquals(bin, binOf.getOrDefault(c.index(), -1), where);
      if (bin >= 0) {
        assertEquals(f[11], keyOf.get(c.index()), where);
        assertEquals(Integer.parseInt(f[12]), rankOf.get(c.index()), where);
      }
    }
    System.out.println("enumeration: max relative score difference " + worst);
    assertTrue(worst < 1e-5);
    assertEquals(1, selection.outsideBins());
  }

  @Test
  void topOneAndTopTwoFilesAreReproduced(@TempDir Path dir) throws Exception {
    for (int top : new int[] {1, 2}) {
      Path out = dir.resolve("top" + top + ".json");
      PreferredJson.write(out, PreferredSelector.select(candidates, referenceBins(top)), MicroA.SPACE);
      assertSameSelection(SharedFiles.microA(top == 1 ? "selection.json" : "selection_top2.json"), out);
      // Helper readers take the file as a reference one (extra keys ignored).
      List<ArchitectureEntry> entries = ArchitectureJson.read(out, SpaceFixtures.VIT);
      assertEquals(top == 1 ? 5 : 10, entries.size());
    }
  }

  /** Same keys in the same order, same entries; num_params equal; scores equal as float32. */
  static void assertSameSelection(Path expectedFile, Path actualFile) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(expectedFile.toFile());
    JsonNode actual = json.readTree(actualFile.toFile());
    List<String> expectedKeys = new ArrayList<>();
    List<String> actualKeys = new ArrayList<>();
    expected.fieldNames().forEachRemaining(expectedKeys::add);
    actual.fieldNames().forEachRemaining(actualKeys::add);
    assertEquals(expectedKeys, actualKeys);
    double worst = 0;
    for (String key : expectedKeys) {
      assertEquals(expected.get(key).size(), actual.get(key).size(), key);
      for (int i = 0; i < expected.get(key).size(); i++) {
        JsonNode e = expected.get(key).get(i);
        JsonNode a = actual.get(key).get(i);
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (field.equals("score")) {
            worst = Math.max(worst, Math.abs(a.get(field).asDouble() - e.get(field).asDouble())
                / e.get(field).asDouble());
          } else {
            assertEquals(e.get(field), a.get(field), key + "[" + i + "]." + field);
          }
        }
        assertEquals((float) e.get("score").asDouble(), (float) a.get("score").asDouble(), key + "[" + i + "].score");
      }
    }
    System.out.println(expectedFile.getFileName() + ": max relative score difference " + worst);
  }
}
