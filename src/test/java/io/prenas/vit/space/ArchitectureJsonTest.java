package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SpaceException;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitectureJsonTest {

  /** Reference preferred-architecture files: every entry, in file order, with its bin key. */
  @ParameterizedTest
  @ValueSource(strings = {"reference/tiny.json", "reference/small.json", "reference/base.json",
      "fixtures/micro-a/selection.json", "fixtures/micro-a/selection_top2.json"})
  void readsPreferredFilesInOrderWithBinKeys(String relative) throws IOException {
    Path file = SharedFiles.resolve(relative);
    JsonNode root = SpaceFixtures.readJson(file);
    List<ArchitectureEntry> entries = ArchitectureJson.read(file, SpaceFixtures.VIT);
    int index = 0;
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      for (JsonNode config : root.get(key)) {
        ArchitectureEntry entry = entries.get(index);
        assertThat(entry.index()).isEqualTo(index);
        assertThat(entry.binKey()).isEqualTo(key);
        VitArchitecture a = VitArchitecture.of(entry.architecture());
        assertThat(a.depth()).isEqualTo(config.get("layer_num").asInt());
        assertThat(a.embedDim()).isEqualTo(config.get("embed_dim").get(0).asInt());
        for (int i = 0; i < a.depth(); i++) {
          assertThat(a.mlpRatio(i)).isEqualTo(config.get("mlp_ratio").get(i).asDouble());
          assertThat(a.heads(i)).isEqualTo(config.get("num_heads").get(i).asInt());
        }
        index++;
      }
    }
    assertThat(entries).hasSize(index);
  }

  @Test
  void writesTheReferenceStyleAndReadsItBack() throws IOException {
    List<ArchitectureEntry> tiny = ArchitectureJson.read(SharedFiles.resolve("reference/tiny.json"), SpaceFixtures.VIT);
    List<VitArchitecture> archs = tiny.stream().map(ArchitectureEntry::architecture).map(VitArchitecture::of).toList();
    String json = ArchitectureJson.write(archs, SpaceFixtures.VIT);
    JsonNode written = SpaceFixtures.JSON.readTree(json);
    JsonNode first = written.get(0);
    List<String> fields = new ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("layer_num", "mlp_ratio", "num_heads", "embed_dim");
    assertThat(first.get("embed_dim")).hasSize(12);
    first.get("embed_dim").forEach(e -> assertThat(e.asInt()).isEqualTo(192));
    first.get("mlp_ratio").forEach(r -> assertThat(r.isDouble()).isTrue()); // 4 is written 4.0
    assertThat(ArchitectureJson.parse(json, SpaceFixtures.VIT).stream().map(ArchitectureEntry::architecture).map(VitArchitecture::of).toList())
        .isEqualTo(archs);
  }

  @Test
  void writesAndReadsAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("archs.json");
    List<VitArchitecture> archs = List.of(VitArchitecture.uniform(96, 3, 3.5, 1), VitArchitecture.uniform(128, 4, 4.0, 2));
    ArchitectureJson.write(file, archs, SpaceFixtures.VIT);
    assertThat(ArchitectureJson.read(file, SpaceFixtures.VIT)).extracting(ArchitectureEntry::architecture).isEqualTo(archs);
    assertThat(ArchitectureJson.read(file, SpaceFixtures.VIT)).extracting(ArchitectureEntry::binKey).containsOnlyNulls();
  }

  @Test
  void readsASingleConfigAndNumericEmbedDimAndIgnoresExtraKeys() {
    List<ArchitectureEntry> one = ArchitectureJson.parse(
        "{\"layer_num\": 2, \"embed_dim\": 96, \"mlp_ratio\": [4, 3.5], \"num_heads\": [1, 2],"
            + " \"num_params\": 0.3, \"score\": 12.5}", SpaceFixtures.VIT);
    assertThat(one).singleElement().satisfies(e -> {
      assertThat(e.binKey()).isNull();
      assertThat(VitArchitecture.of(e.architecture())).isEqualTo(new VitArchitecture(96, 2, List.of(4.0, 3.5), List.of(1, 2)));
    });
  }

  @Test
  void rejectsNonUniformEmbedDim() {
    assertThatThrownBy(() -> ArchitectureJson.parse(
        "[{\"layer_num\": 2, \"embed_dim\": [96, 128], \"mlp_ratio\": [4, 4], \"num_heads\": [1, 1]}]", SpaceFixtures.VIT))
        .isInstanceOf(SpaceException.class)
        .hasMessageContaining("architecture #0").hasMessageContaining("embed_dim: must be uniform");
  }

  @Test
  void rejectsBadConfigsNamingTheEntryAndField() {
    assertThatThrownBy(() -> ArchitectureJson.parse("{\"6.0\": [{\"layer_num\": 2, \"embed_dim\": 96,"
        + " \"mlp_ratio\": [4, 4], \"num_heads\": [1, 1.5]}]}", SpaceFixtures.VIT))
        .isInstanceOf(SpaceException.class)
        .hasMessageContaining("architecture #0 (bin \"6.0\")").hasMessageContaining("num_heads[1]")
        .satisfies(e -> assertThat(((SpaceException) e).key()).isEqualTo("num_heads[1]"));
    assertThatThrownBy(() -> ArchitectureJson.parse("[{\"layer_num\": 3, \"embed_dim\": 96,"
        + " \"mlp_ratio\": [4, 4], \"num_heads\": [1, 1, 1]}]", SpaceFixtures.VIT))
        .hasMessageContaining("mlp_ratio: needs one value per layer (layer_num 3), got 2");
    assertThatThrownBy(() -> ArchitectureJson.parse("[{\"embed_dim\": 96}]", SpaceFixtures.VIT))
        .hasMessageContaining("layer_num: missing");
    assertThatThrownBy(() -> ArchitectureJson.parse("{\"6.0\": 3}", SpaceFixtures.VIT)).hasMessageContaining("expected a list");
    assertThatThrownBy(() -> ArchitectureJson.parse("42", SpaceFixtures.VIT)).hasMessageContaining("expected an architecture config");
  }

  @Test
  void malformedJsonNamesTheFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "[{\"layer_num\": 2,\n \"embed_dim\": }]");
    assertThatThrownBy(() -> ArchitectureJson.read(file, SpaceFixtures.VIT)).isInstanceOf(SpaceException.class)
        .hasMessageStartingWith("malformed JSON in " + file + " at line 2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Files.writeString(file, "");
    assertThatThrownBy(() -> ArchitectureJson.read(file, SpaceFixtures.VIT)).isInstanceOf(SpaceException.class)
        .hasMessageContaining(file.toString());
  }
}
