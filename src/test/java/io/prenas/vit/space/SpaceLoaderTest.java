package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpaceLoaderTest {

  private static VitSpace reference(String file) throws IOException {
    return VitSpace.of(SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/" + file)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"supernet-T.yaml", "supernet-S.yaml", "supernet-B.yaml", "tiny.yaml", "small.yaml",
      "base.yaml"})
  void loadsEveryReferenceFileUnchanged(String file) throws IOException {
    VitSpace space = reference(file);
    assertThat(space.name()).isEqualTo(file.substring(0, file.length() - ".yaml".length()));
    assertThat(space.model()).isEqualTo(ModelSettings.IMAGENET);
    assertThat(space.isLayerwise()).isEqualTo(!file.startsWith("supernet-"));
  }

  @Test
  void flatTinySpaceMatchesSpecTable() throws IOException {
    VitSpace t = reference("supernet-T.yaml");
    assertThat(t.supernet()).isEqualTo(new SupernetDims(256, 14, 4, 4.0));
    assertThat(t.embedDims()).containsExactly(192, 216, 240);
    assertThat(t.depths()).containsExactly(12, 13, 14);
    assertThat(t.numHeads()).containsExactly(3, 4);
    assertThat(t.mlpRatios()).containsExactly(3.5, 4.0); // "4" is written as an int in the file
    assertThat(t.layerwise()).isEmpty();
  }

  @Test
  void flatSpacesKeepFileOrder() throws IOException {
    VitSpace b = reference("supernet-B.yaml");
    assertThat(b.supernet()).isEqualTo(new SupernetDims(640, 16, 10, 4.0));
    assertThat(b.mlpRatios()).containsExactly(3.0, 3.5, 4.0);
    assertThat(b.depths()).containsExactly(14, 15, 16);
  }

  /**
   * G9: the layer-wise files are the per-layer unions of the preferred architectures (candidates_to_choices.py), so
   * the loaded lists must equal what the preferred JSON gives.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tiny", "small", "base"})
  void layerwiseSpacesEqualThePreferredArchitectureUnions(String set) throws IOException {
    VitSpace space = reference(set + ".yaml");
    List<ArchitectureEntry> entries = ArchitectureJson.read(SharedFiles.resolve("reference/" + set + ".json"), SpaceFixtures.VIT);
    Map<Integer, TreeSet<Integer>> depths = new TreeMap<>();
    Map<Integer, List<TreeSet<Double>>> ratios = new TreeMap<>();
    Map<Integer, List<TreeSet<Integer>>> heads = new TreeMap<>();
    for (ArchitectureEntry entry : entries) {
      VitArchitecture a = VitArchitecture.of(entry.architecture());
      depths.computeIfAbsent(a.embedDim(), k -> new TreeSet<>()).add(a.depth());
      List<TreeSet<Double>> r = ratios.computeIfAbsent(a.embedDim(), k -> new ArrayList<>());
      List<TreeSet<Integer>> h = heads.computeIfAbsent(a.embedDim(), k -> new ArrayList<>());
      for (int i = 0; i < a.depth(); i++) {
        if (r.size() <= i) {
          r.add(new TreeSet<>());
          h.add(new TreeSet<>());
        }
        r.get(i).add(a.mlpRatio(i));
        h.get(i).add(a.heads(i));
      }
    }
    assertThat(space.embedDims()).containsExactlyElementsOf(depths.keySet());
    for (int e : space.embedDims()) {
      LayerwiseChoices c = space.layerwise().get(e);
      assertThat(c.depths()).containsExactlyElementsOf(depths.get(e));
      assertThat(c.mlpRatiosPerLayer()).isEqualTo(ratios.get(e).stream().map(List::copyOf).toList());
      assertThat(c.numHeadsPerLayer()).isEqualTo(heads.get(e).stream().map(List::copyOf).toList());
      assertThat(space.choicesFor(e)).isSameAs(c);
    }
    // Global lists are the unions.
    assertThat(space.mlpRatios()).containsExactlyElementsOf(
        ratios.values().stream().flatMap(List::stream).flatMap(TreeSet::stream).collect(
            java.util.stream.Collectors.toCollection(TreeSet::new)));
    // Every preferred architecture is inside its reduced space.
    entries.forEach(entry -> space.validate(VitArchitecture.of(entry.architecture())));
  }

  @Test
  void layerwiseSupernetComesFromTheFile() throws IOException {
    assertThat(reference("tiny.yaml").supernet()).isEqualTo(new SupernetDims(256, 14, 4, 4.0));
    assertThat(reference("base.yaml").supernet()).isEqualTo(new SupernetDims(640, 14, 10, 4.0));
  }

  @Test
  void microAResourceMatchesSpaceJson() {
    VitSpace space = SpaceFixtures.microA();
    JsonNode json = SpaceFixtures.readJson(SharedFiles.microA("space.json"));
    JsonNode sn = json.get("supernet");
    assertThat(space.name()).isEqualTo(json.get("name").asText());
    assertThat(space.supernet()).isEqualTo(new SupernetDims(sn.get("EMBED_DIM").asInt(), sn.get("DEPTH").asInt(),
        sn.get("NUM_HEADS").asInt(), sn.get("MLP_RATIO").asDouble()));
    JsonNode ss = json.get("search_space");
    assertThat(space.embedDims()).isEqualTo(ints(ss.get("EMBED_DIM")));
    assertThat(space.depths()).isEqualTo(ints(ss.get("DEPTH")));
    assertThat(space.numHeads()).isEqualTo(ints(ss.get("NUM_HEADS")));
    assertThat(space.mlpRatios()).isEqualTo(doubles(ss.get("MLP_RATIO")));
    JsonNode ctor = json.get("constructor");
    assertThat(space.model()).isEqualTo(new ModelSettings(json.get("image_size").asInt(),
        json.get("patch_size").asInt(), json.get("in_chans").asInt(), json.get("num_classes").asInt(),
        ctor.get("max_relative_position").asInt()));
    assertThat(space.model().numPatches()).isEqualTo(json.get("num_patches").asInt());
  }

  @Test
  void modelSectionDefaultsEachMissingKey() {
    VitSpace space = VitSpace.of(SpaceLoader.parse("m", flat("") + "MODEL:\n  NUM_CLASSES: 10\n"));
    assertThat(space.model()).isEqualTo(new ModelSettings(224, 16, 3, 10, 14));
  }

  // ---- invalid files: each names its key ----

  static String flat(String searchExtra) {
    return """
        SUPERNET:
          MLP_RATIO: 4.0
          NUM_HEADS: 4
          EMBED_DIM: 256
          DEPTH: 14
        SEARCH_SPACE:
          MLP_RATIO: [3.5, 4]
          NUM_HEADS: [3, 4]
          DEPTH: [12, 13, 14]
          EMBED_DIM: [192, 216, 240]
        """ + searchExtra;
  }

  private static void assertRejected(String yaml, String key, String messagePart) {
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.parse("bad", yaml)))
        .isInstanceOf(SpaceException.class)
        .satisfies(e -> assertThat(((SpaceException) e).key()).isEqualTo(key))
        .hasMessageContaining(messagePart);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "EMBED_DIM: [192, 216, 240]|EMBED_DIM: [192, 216, 300]|SEARCH_SPACE.EMBED_DIM|above SUPERNET.EMBED_DIM 256",
      "DEPTH: [12, 13, 14]|DEPTH: [12, 15]|SEARCH_SPACE.DEPTH|above SUPERNET.DEPTH 14",
      "NUM_HEADS: [3, 4]|NUM_HEADS: [3, 5]|SEARCH_SPACE.NUM_HEADS|above SUPERNET.NUM_HEADS 4",
      "MLP_RATIO: [3.5, 4]|MLP_RATIO: [3.5, 4.5]|SEARCH_SPACE.MLP_RATIO|above SUPERNET.MLP_RATIO 4.0",
      "MLP_RATIO: [3.5, 4]|MLP_RATIO: []|SEARCH_SPACE.MLP_RATIO|must not be empty",
      "NUM_HEADS: [3, 4]|NUM_HEADS: [3, 3]|SEARCH_SPACE.NUM_HEADS|duplicate value 3",
      "DEPTH: [12, 13, 14]|DEPTH: [12, thirteen]|SEARCH_SPACE.DEPTH[1]|must be a number",
      "DEPTH: [12, 13, 14]|DEPTH: [12, 13.5]|SEARCH_SPACE.DEPTH[1]|must be an integer",
      "DEPTH: [12, 13, 14]|DEPTH: [12, -1]|SEARCH_SPACE.DEPTH[1]|must be positive",
      "MLP_RATIO: [3.5, 4]|MLP_RATIO: [3.5, '4']|SEARCH_SPACE.MLP_RATIO[1]|must be a number",
      "DEPTH: [12, 13, 14]|DEPTH: 12|SEARCH_SPACE.DEPTH|must be a list",
      "EMBED_DIM: 256|EMBED_DIM: 200|SUPERNET.NUM_HEADS|above SUPERNET.EMBED_DIM",
      "DEPTH: 14|DEPTH: many|SUPERNET.DEPTH|must be a number",
  })
  void rejectsInvalidValues(String from, String to, String key, String messagePart) {
    String yaml = flat("");
    assertThat(yaml).contains(from);
    assertRejected(yaml.replace(from, to), key, messagePart);
  }

  @Test
  void rejectsUnknownAndMissingKeysInsideSections() {
    String yaml = flat("");
    assertRejected(yaml.replace("  DEPTH: [12, 13, 14]\n", "  DEPTH: [12, 13, 14]\n  WIDTH: [1]\n"),
        "SEARCH_SPACE.WIDTH", "unknown key");
    assertRejected(yaml.replace("  DEPTH: 14\n", "  DEPTH: 14\n  EXTRA: 1\n"), "SUPERNET.EXTRA", "unknown key");
    assertRejected(yaml.replace("  NUM_HEADS: [3, 4]\n", ""), "SEARCH_SPACE.NUM_HEADS", "missing");
    assertRejected(yaml.replace("  MLP_RATIO: 4.0\n", ""), "SUPERNET.MLP_RATIO", "missing");
  }

  @Test
  void rejectsHeadsWiderThanTheSupernet() {
    // NUM_HEADS 4 fits SUPERNET.NUM_HEADS 5, but 4 * 64 = 256 features do not fit a 200-wide supernet.
    String yaml = flat("").replace("NUM_HEADS: 4\n", "NUM_HEADS: 3\n").replace("EMBED_DIM: 256", "EMBED_DIM: 240")
        .replace("NUM_HEADS: [3, 4]", "NUM_HEADS: [3]");
    assertThat(VitSpace.of(SpaceLoader.parse("ok", yaml)).numHeads()).containsExactly(3);
    String wide = yaml.replace("  NUM_HEADS: 3\n", "  NUM_HEADS: 3\n").replace("NUM_HEADS: [3]", "NUM_HEADS: [3, 4]");
    assertRejected(wide, "SEARCH_SPACE.NUM_HEADS", "above SUPERNET.NUM_HEADS 3");
  }

  @Test
  void rejectsUnknownTopLevelKeysAndMissingSections() {
    assertRejected(flat("EXTRA: 1\n"), "EXTRA", "unknown key");
    assertRejected("SUPERNET:\n  DEPTH: 1\n", "SEARCH_SPACE", "missing");
    assertRejected(flat("").replace("SUPERNET:", "SUPER:"), "SUPER", "unknown key");
    assertRejected(flat("MODEL:\n  IMAGE_SIZE: 224\n  COLORS: 3\n"), "MODEL.COLORS", "unknown key");
    assertRejected(flat("MODEL: 3\n"), "MODEL", "must be a mapping");
  }

  @Test
  void rejectsImageSizeNotDivisibleByPatch() {
    assertRejected(flat("MODEL:\n  IMAGE_SIZE: 100\n"), "MODEL.IMAGE_SIZE", "not divisible by the patch size 16");
  }

  @Test
  void rejectsDuplicateKeys() {
    String yaml = flat("").replace("  DEPTH: 14\n", "  DEPTH: 14\n  DEPTH: 12\n");
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.parse("dup", yaml))).isInstanceOf(SpaceException.class)
        .hasMessageContaining("malformed YAML").hasMessageContaining("DEPTH");
  }

  @Test
  void rejectsMalformedYamlWithLine() {
    String yaml = "SUPERNET:\n  DEPTH: [1, 2\nSEARCH_SPACE: {\n";
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.parse("broken", yaml))).isInstanceOf(SpaceException.class)
        .hasMessageStartingWith("malformed YAML in broken at line ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.parse("empty", ""))).isInstanceOf(SpaceException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.parse("list", "- 1\n- 2\n"))).isInstanceOf(SpaceException.class)
        .hasMessageContaining("must be a mapping");
  }

  @Test
  void errorsFromAFileNameTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path file = dir.resolve("wrong.yaml");
    java.nio.file.Files.writeString(file, flat("").replace("DEPTH: [12, 13, 14]", "DEPTH: [12, 40]"));
    assertThatThrownBy(() -> VitSpace.of(SpaceLoader.load(file))).isInstanceOf(SpaceException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("SEARCH_SPACE.DEPTH")
        .satisfies(e -> assertThat(((SpaceException) e).key()).isEqualTo("SEARCH_SPACE.DEPTH"));
  }

  // ---- layer-wise validation ----

  private static String layerwise(String ratios240) {
    return """
        SEARCH_SPACE:
          DEPTH:
            192: [2]
            240: [2, 3]
          EMBED_DIM: [192, 240]
          MLP_RATIO:
            192: [[4], [3.5]]
            240: %s
          NUM_HEADS:
            192: [[3], [3, 4]]
            240: [[4], [4], [3]]
        SUPERNET:
          DEPTH: 14
          EMBED_DIM: 256
          MLP_RATIO: 4
          NUM_HEADS: 4
        """.formatted(ratios240);
  }

  @Test
  void acceptsASmallLayerwiseSpace() {
    VitSpace space = VitSpace.of(SpaceLoader.parse("lw", layerwise("[[4], [3.5, 4], [4]]")));
    assertThat(space.isLayerwise()).isTrue();
    assertThat(space.depths()).containsExactly(2, 3);
    assertThat(space.mlpRatios()).containsExactly(3.5, 4.0);
    assertThat(space.numHeads()).containsExactly(3, 4);
    assertThat(space.layerwise().get(240).mlpRatiosPerLayer()).containsExactly(List.of(4.0), List.of(3.5, 4.0),
        List.of(4.0));
    // 192: depth 2 -> 1*1 * 1*2; 240: depth 2 -> 1 * 2, depth 3 -> 1 * 2 * 1
    assertThat(space.architectureCount()).hasToString("6");
  }

  @Test
  void rejectsLayerwiseListsShorterThanTheDeepestDepth() {
    SpaceException e = (SpaceException) org.junit.jupiter.api.Assertions.assertThrows(SpaceException.class,
        () -> VitSpace.of(SpaceLoader.parse("lw", layerwise("[[4], [3.5, 4]]"))));
    assertThat(e.key()).isEqualTo("SEARCH_SPACE.MLP_RATIO.240");
    assertThat(e).hasMessageContaining("too short");
  }

  @Test
  void rejectsLayerwiseProblems() {
    assertRejected(layerwise("[[4], [3.5, 4], [4], [4]]"), "SEARCH_SPACE.MLP_RATIO.240", "too long");
    assertRejected(layerwise("[[4], [], [4]]"), "SEARCH_SPACE.MLP_RATIO.240[1]", "must not be empty");
    assertRejected(layerwise("[[4], [4, 4], [4]]"), "SEARCH_SPACE.MLP_RATIO.240[1]", "duplicate");
    assertRejected(layerwise("[[4], [5], [4]]"), "SEARCH_SPACE.MLP_RATIO.240[1]", "above SUPERNET.MLP_RATIO");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace("192: [[3], [3, 4]]", "192: [[3], [3, 5]]"),
        "SEARCH_SPACE.NUM_HEADS.192[1]", "above SUPERNET.NUM_HEADS");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace("240: [2, 3]", "240: [2, 30]"),
        "SEARCH_SPACE.DEPTH.240", "above SUPERNET.DEPTH");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace("    192: [2]\n", ""), "SEARCH_SPACE.DEPTH",
        "no entry for embed dim 192");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace("    192: [2]\n", "    192: [2]\n    200: [2]\n"),
        "SEARCH_SPACE.DEPTH.200", "not in SEARCH_SPACE.EMBED_DIM");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace("    192: [2]\n", "    abc: [2]\n"),
        "SEARCH_SPACE.DEPTH.abc", "positive integer");
    assertRejected(layerwise("[[4], [3.5, 4], [4]]").replace(
        "NUM_HEADS:\n    192: [[3], [3, 4]]\n    240: [[4], [4], [3]]", "NUM_HEADS: [3, 4]"),
        "SEARCH_SPACE.NUM_HEADS", "must be a mapping keyed by embed dim");
  }

  @Test
  void rejectsHalfLayerwiseFlatSpace() {
    String yaml = flat("").replace("MLP_RATIO: [3.5, 4]", "MLP_RATIO:\n    192: [[4]]");
    assertRejected(yaml, "SEARCH_SPACE.MLP_RATIO", "layer-wise space needs mappings");
  }

  @Test
  void flatArchitectureCountIsTheSumOfPowers() throws IOException {
    VitSpace t = reference("supernet-T.yaml");
    java.math.BigInteger expected = java.math.BigInteger.ZERO;
    for (int d : t.depths()) {
      expected = expected.add(java.math.BigInteger.valueOf(4).pow(d));
    }
    assertThat(t.architectureCount()).isEqualTo(expected.multiply(java.math.BigInteger.valueOf(3)));
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asInt()));
    return values;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asDouble()));
    return values;
  }
}
