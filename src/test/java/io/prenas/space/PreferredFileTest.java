package io.prenas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.testing.SharedFiles;
import io.prenas.testing.TestSpaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the reference's preferred-architecture files against a space, recounting every entry's parameters. */
class PreferredFileTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final SearchSpace MICRO = SpaceLoader.parse("micro-a", TestSpaces.MICRO_YAML);

  @Test
  void readsTheReferencesTinyFileWithEveryCountEqualToItsNumParams() throws Exception {
    JsonNode file = JSON.readTree(SharedFiles.resolve("reference/tiny.json").toFile());
    List<PreferredFile.Entry> entries = PreferredFile.read(file, SearchSpaces.builtIn("autoformer-tiny"));
    assertThat(entries).extracting(PreferredFile.Entry::binKey)
        .containsExactly("6.0", "7.0", "8.0", "9.0", "10.0", "11.0");
    assertThat(entries).extracting(PreferredFile.Entry::params)
        .containsExactly(5_994_760L, 6_997_192L, 7_996_552L, 8_967_016L, 9_978_232L, 10_517_272L);
    // The reference writes no lower bounds: its bins are 1 M wide.
    assertThat(entries.get(0).binLower()).isEqualTo(5.0);
    assertThat(entries.get(0).binUpper()).isEqualTo(6.0);
    assertThat(entries.get(0).rank()).isEqualTo(1);
    assertThat(entries.get(0).score()).isEqualTo(1010076.75);
    assertThat(entries.get(0).flops()).isEqualTo(1_379_653_176.0);
  }

  @Test
  void readsMicroAsSelectionAndTakesSelectsOwnLowerBounds() throws Exception {
    JsonNode file = JSON.readTree(SharedFiles.microA("selection_top2.json").toFile());
    List<PreferredFile.Entry> entries = PreferredFile.read(file, MICRO);
    assertThat(entries).isNotEmpty();
    for (PreferredFile.Entry e : entries) {
      assertThat(e.params()).isEqualTo(MICRO.params(e.architecture()));
      assertThat(e.binUpper() - e.binLower()).isEqualTo(0.125, org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(entries).extracting(PreferredFile.Entry::rank).contains(1, 2);

    ObjectNode withLower = (ObjectNode) JSON.readTree(SharedFiles.microA("selection.json").toFile());
    ((ObjectNode) withLower.get("0.5").get(0)).put("bin_lower", 0.4);
    assertThat(PreferredFile.read(withLower, MICRO).get(0).binLower()).isEqualTo(0.4);
  }

  @Test
  void acceptsNumParamsSpelledAnyWayThatRoundsToTheCount() throws Exception {
    ObjectNode file = (ObjectNode) JSON.readTree(SharedFiles.microA("selection.json").toFile());
    ((ObjectNode) file.get("0.875").get(0)).put("num_params", 0.8601704); // 860,170.4 parameters
    assertThat(PreferredFile.read(file, MICRO).get(3).params()).isEqualTo(860_170L);
  }

  @Test
  void aNumParamsThatDoesNotMatchNamesTheBinAndTheEntry() throws Exception {
    ObjectNode file = (ObjectNode) JSON.readTree(SharedFiles.microA("selection.json").toFile());
    ((ObjectNode) file.get("0.875").get(0)).put("num_params", 0.86018);
    assertThatThrownBy(() -> PreferredFile.read(file, MICRO)).isInstanceOfSatisfying(PreferredFileException.class,
        e -> {
          assertThat(e.binKey()).isEqualTo("0.875");
          assertThat(e.index()).isZero();
          assertThat(e.pointer()).isEqualTo("/0.875/0/num_params");
          assertThat(e.getMessage()).startsWith("bin \"0.875\" entry 0: num_params 0.86018 M does not match")
              .contains("860170 parameters");
        });
  }

  @Test
  void anArchitectureOutsideTheSpaceNamesTheEntryAndTheField() throws Exception {
    ObjectNode file = (ObjectNode) JSON.readTree(SharedFiles.microA("selection.json").toFile());
    ObjectNode entry = (ObjectNode) file.get("1.0").get(0);
    entry.putArray("num_heads").add(2).add(2).add(2).add(3);
    assertThatThrownBy(() -> PreferredFile.read(file, MICRO)).isInstanceOfSatisfying(PreferredFileException.class,
        e -> {
          assertThat(e.pointer()).isEqualTo("/1.0/0/num_heads");
          assertThat(e.getMessage()).startsWith("bin \"1.0\" entry 0: num_heads");
        });
  }

  @Test
  void refusesWhatIsNotAPreferredFile() {
    assertThatThrownBy(() -> PreferredFile.read(JSON.readTree("[]"), MICRO))
        .isInstanceOf(PreferredFileException.class).hasMessageContaining("expected a JSON object of bins");
    assertThatThrownBy(() -> PreferredFile.read(JSON.readTree("{}"), MICRO)).hasMessage("the file holds no bin");
    assertThatThrownBy(() -> PreferredFile.read(JSON.readTree("{\"big\": []}"), MICRO))
        .isInstanceOfSatisfying(PreferredFileException.class, e -> assertThat(e.pointer()).isEqualTo("/big"));
    assertThatThrownBy(() -> PreferredFile.read(JSON.readTree("{\"1.0\": []}"), MICRO))
        .hasMessageStartingWith("bin \"1.0\": expected a non-empty list");
    assertThatThrownBy(() -> PreferredFile.read(JSON.readTree("{\"1.0\": [{\"layer_num\": 3, \"mlp_ratio\": [4.0, "
        + "4.0, 4.0], \"num_heads\": [1, 1, 1], \"embed_dim\": [128, 128, 128], \"num_params\": 0.621258}]}"), MICRO))
        .isInstanceOfSatisfying(PreferredFileException.class, e -> assertThat(e.pointer()).isEqualTo("/1.0/0/score"));
  }
}
