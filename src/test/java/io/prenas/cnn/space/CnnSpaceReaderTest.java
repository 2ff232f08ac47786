package io.prenas.cnn.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code TYPE: cnn} space files: what they read to, and that every mistake names its key. */
class CnnSpaceReaderTest {

  private static final String MICRO = """
      TYPE: cnn
      MODEL: {IN_CHANS: 3, NUM_CLASSES: 8}
      SEARCH_SPACE:
        RESOLUTION: [32, 40]
        STEM: {WIDTH: [8, 16], KERNEL: 3, STRIDE: 2}
        STAGES:
          - {OP: mbconv, EXPAND: 1, WIDTH: [8, 16], DEPTH: [1, 2], KERNEL: [3], STRIDE: 1}
          - {OP: mbconv, EXPAND: 6, WIDTH: [16, 24], DEPTH: [1, 2], KERNEL: [3, 5], STRIDE: 2}
        HEAD: {WIDTH: [32, 48]}
      """;

  @Test
  void theBuiltInIsTheSharedFileByteForByteAndReadsAsTheSpecsTable() throws IOException {
    Path shared = SharedFiles.resolve("reference/search-spaces/bignas-mbv2.yaml");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SearchSpaces.resourceOf("bignas-mbv2"))) {
      assertThat(in).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(shared));
    }
    CnnSpace space = CnnFixtures.bignas();
    assertThat(space.name()).isEqualTo("bignas-mbv2");
    assertThat(space.family()).isEqualTo("cnn");
    assertThat(space.resolutions()).containsExactly(192, 224, 256, 288, 320);
    assertThat(space.imageSize()).isEqualTo(320);
    assertThat(space.model()).isEqualTo(new CnnModelSettings(3, 1000, Activation.SWISH, true, 0.2, 1e-5, 0.1));
    assertThat(space.stages()).hasSize(7);
    assertThat(space.stages().get(4)).isEqualTo(new StageChoices(6, List.of(112, 120, 128), List.of(2, 3, 4, 5, 6),
        List.of(3, 5), 1));
    assertThat(space.headWidths()).containsExactly(1280, 1408);
    SearchSpace fromFile = SpaceLoader.load(shared);
    assertThat(fromFile).isEqualTo(space);
  }

  @Test
  void optionalModelSettingsTakeTheSpecsDefaults() {
    CnnSpace space = CnnSpace.of(SpaceLoader.parse("m", MICRO));
    assertThat(space.model()).isEqualTo(new CnnModelSettings(3, 8, Activation.SWISH, true, 0.0, 1e-5, 0.1));
  }

  @Test
  void flowAndBlockListsAreTheSame() {
    String block = MICRO.replace("RESOLUTION: [32, 40]", "RESOLUTION:\n    - 32\n    - 40");
    assertThat(SpaceLoader.parse("m", block)).isEqualTo(SpaceLoader.parse("m", MICRO));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown key         | 'HEAD: {WIDTH: [32, 48]}' | 'HEAD: {WIDTH: [32, 48], DROP: 1}' | SEARCH_SPACE.HEAD.DROP: unknown key",
      "missing key         | 'KERNEL: 3, STRIDE: 2}' | 'KERNEL: 3}' | SEARCH_SPACE.STEM.STRIDE: missing",
      "descending choices  | 'RESOLUTION: [32, 40]' | 'RESOLUTION: [40, 32]' | SEARCH_SPACE.RESOLUTION[1]: choices must be strictly ascending",
      "duplicate choice    | 'HEAD: {WIDTH: [32, 48]}' | 'HEAD: {WIDTH: [32, 32]}' | SEARCH_SPACE.HEAD.WIDTH: duplicate value 32",
      "empty choices       | 'WIDTH: [8, 16], DEPTH: [1, 2]' | 'WIDTH: [], DEPTH: [1, 2]' | SEARCH_SPACE.STAGES[0].WIDTH: must not be empty",
      "zero width          | 'WIDTH: [16, 24]' | 'WIDTH: [0, 24]' | SEARCH_SPACE.STAGES[1].WIDTH[0]: must be positive",
      "even kernel         | 'KERNEL: [3, 5]' | 'KERNEL: [3, 4]' | SEARCH_SPACE.STAGES[1].KERNEL[1]: must be one of [1, 3, 5, 7, 9]",
      "two-digit kernel    | 'KERNEL: [3, 5]' | 'KERNEL: [3, 11]' | SEARCH_SPACE.STAGES[1].KERNEL[1]: must be one of",
      "stride 3            | 'KERNEL: [3, 5], STRIDE: 2' | 'KERNEL: [3, 5], STRIDE: 3' | SEARCH_SPACE.STAGES[1].STRIDE: must be 1 or 2",
      "even stem kernel    | 'KERNEL: 3, STRIDE: 2}' | 'KERNEL: 4, STRIDE: 2}' | SEARCH_SPACE.STEM.KERNEL: must be odd",
      "other op            | 'OP: mbconv, EXPAND: 6' | 'OP: fused, EXPAND: 6' | SEARCH_SPACE.STAGES[1].OP: must be mbconv",
      "fractional expand   | 'EXPAND: 6' | 'EXPAND: 6.5' | SEARCH_SPACE.STAGES[1].EXPAND: must be an integer",
      "activation          | 'NUM_CLASSES: 8}' | 'NUM_CLASSES: 8, ACTIVATION: gelu}' | MODEL.ACTIVATION: must be swish or relu6",
      "SE not boolean      | 'NUM_CLASSES: 8}' | 'NUM_CLASSES: 8, SE: 1}' | MODEL.SE: must be true or false",
      "dropout of one      | 'NUM_CLASSES: 8}' | 'NUM_CLASSES: 8, DROPOUT: 1.0}' | MODEL.DROPOUT: must be in [0, 1)",
      "missing classes     | '{IN_CHANS: 3, NUM_CLASSES: 8}' | '{IN_CHANS: 3}' | MODEL.NUM_CLASSES: missing",
      "misspelt section    | 'STAGES:' | 'STAGE:' | SEARCH_SPACE.STAGE: unknown key (allowed here: RESOLUTION, STEM, STAGES, HEAD)",
      "ViT keys in a CNN   | 'SEARCH_SPACE:' | 'SUPERNET: {EMBED_DIM: 8}\nSEARCH_SPACE:' | SUPERNET: unknown key",
  })
  void aMistakeNamesItsKey(String what, String from, String to, String expected) {
    String yaml = MICRO.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(yaml).as("the test's edit applies").isNotEqualTo(MICRO);
    assertThatThrownBy(() -> SpaceLoader.parse("m", yaml)).isInstanceOf(SpaceException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void theKeyOfTheErrorIsThePathOfTheValue() {
    SpaceException e = (SpaceException) org.assertj.core.api.Assertions.catchThrowable(() -> SpaceLoader.parse("m",
        MICRO.replace("KERNEL: [3, 5]", "KERNEL: [3, 6]")));
    assertThat(e.key()).isEqualTo("SEARCH_SPACE.STAGES[1].KERNEL[1]");
  }
}
