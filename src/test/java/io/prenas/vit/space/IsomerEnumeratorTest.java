package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsomerEnumeratorTest {

  @Test
  void countVectorsFollowItertoolsCombinations() {
    // combinations(range(3), 2) = (0,1), (0,2), (1,2) -> counts with b = [0, c1, c2, 2]
    assertThat(IsomerEnumerator.countVectors(2, 3)).containsExactly(
        new int[] {0, 1, 1}, new int[] {0, 2, 0}, new int[] {1, 1, 0});
    // combinations(range(4), 1): all 4 splits of 3 layers over 2 choices
    assertThat(IsomerEnumerator.countVectors(3, 2)).containsExactly(
        new int[] {0, 3}, new int[] {1, 2}, new int[] {2, 1}, new int[] {3, 0});
    assertThat(IsomerEnumerator.countVectors(5, 1)).containsExactly(new int[] {5});
  }

  /** G4: the number of candidates the reference enumerates (spec 4.4/9, only in the spec text). */
  @ParameterizedTest
  @CsvSource({"autoformer-tiny,1770", "autoformer-small,57918", "autoformer-base,17421"})
  void groupCountsOfTheBuiltInSpaces(String name, long expected) {
    VitSpace space = VitSpace.of(SearchSpaces.builtIn(name));
    assertThat(IsomerEnumerator.countGroups(space)).isEqualTo(expected);
    assertThat(IsomerEnumerator.groups(space)).hasSize((int) expected);
  }

  @Test
  void microAGroupCountIsTheFixtureCount() {
    JsonNode spaceJson = SpaceFixtures.readJson(SharedFiles.microA("space.json"));
    VitSpace space = SpaceFixtures.microA();
    assertThat(IsomerEnumerator.countGroups(space)).isEqualTo(spaceJson.get("search").get("num_enumerated").asLong());
  }

  /** Rebuilds every enumeration.csv row (configuration and order) from block_scores.json. */
  @Test
  void rebuildsTheMicroAEnumerationInOrder() {
    VitSpace space = SpaceFixtures.microA();
    List<VitArchitecture> enumerated = IsomerEnumerator.enumerate(space, SpaceFixtures.microABlockScores(
        space.maxEmbedDim()));
    List<Map<String, String>> rows = SpaceFixtures.microAEnumeration();
    assertThat(enumerated).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(enumerated.get(i)).as("row " + i).isEqualTo(SpaceFixtures.csvArchitecture(rows.get(i)));
    }
    // The groups come in the same order, and each row is in its group.
    List<IsomerGroup> groups = IsomerEnumerator.groups(space);
    for (int i = 0; i < groups.size(); i++) {
      VitArchitecture row = enumerated.get(i);
      IsomerGroup g = groups.get(i);
      assertThat(g.allocate(space, SpaceFixtures.microABlockScores(128))).isEqualTo(row);
      VitArchitecture rep = g.representative(space);
      assertThat(Complexity.params(rep, space.model())).isEqualTo(Complexity.params(row, space.model()));
      assertThat(rep.embedDim()).isEqualTo(row.embedDim());
      assertThat(rep.depth()).isEqualTo(row.depth());
    }
  }

  @Test
  void layerwiseSpacesAreNotEnumerated() throws IOException {
    VitSpace tiny = VitSpace.of(SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/tiny.yaml")));
    assertThatThrownBy(() -> IsomerEnumerator.groups(tiny)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("layer-wise");
    assertThatThrownBy(() -> IsomerEnumerator.enumerate(tiny, SpaceFixtures.microABlockScores(128)))
        .isInstanceOf(SpaceException.class);
  }

  @Test
  void layerwiseGroupCountCountsReachableCountVectors() {
    VitSpace space = VitSpace.of(SpaceLoader.parse("lw", """
        SUPERNET: {DEPTH: 14, EMBED_DIM: 256, MLP_RATIO: 4, NUM_HEADS: 4}
        SEARCH_SPACE:
          EMBED_DIM: [192, 240]
          DEPTH: {192: [2], 240: [2, 3]}
          MLP_RATIO: {192: [[4], [3.5]], 240: [[4], [3.5, 4], [4]]}
          NUM_HEADS: {192: [[3], [3, 4]], 240: [[4], [4], [3]]}
        """));
    // 192/D2: mlp {(1,1)} x heads {(2,0),(1,1)} = 2; 240/D2: mlp {(0,2),(1,1)} x 1 = 2; 240/D3: 2 x 1 = 2.
    assertThat(IsomerEnumerator.countGroups(space)).isEqualTo(6);
  }

  @Test
  void eachPreferredTinyArchitectureIsAnEnumeratedGroup() throws IOException {
    VitSpace space = VitSpace.of(SearchSpaces.builtIn("autoformer-tiny"));
    List<IsomerGroup> groups = IsomerEnumerator.groups(space);
    for (ArchitectureEntry entry : ArchitectureJson.read(SharedFiles.resolve("reference/tiny.json"), SpaceFixtures.VIT)) {
      VitArchitecture a = VitArchitecture.of(entry.architecture());
      long r4 = a.mlpRatios().stream().filter(r -> r == 4.0).count();
      long h4 = a.numHeads().stream().filter(h -> h == 4).count();
      IsomerGroup group = new IsomerGroup(a.embedDim(), a.depth(), List.of(a.depth() - (int) r4, (int) r4),
          List.of(a.depth() - (int) h4, (int) h4));
      assertThat(groups).contains(group);
    }
  }
}
