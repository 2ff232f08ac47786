package io.prenas.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.cnn.engine.CnnSupernetFactory;
import io.prenas.onnx.OnnxExport;
import io.prenas.selector.CandidateSelection;
import io.prenas.space.ModelFamilies;
import io.prenas.space.ModelFamily;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import io.prenas.supernet.SupernetFactory;
import org.junit.jupiter.api.Test;

/** The CNN family on the seam: registered under {@code cnn}, its built-in, its supernet, selector and ONNX ports. */
class CnnFamilyTest {

  @Test
  void registeredUnderTypeCnnWithItsBuiltIn() {
    ModelFamily cnn = ModelFamilies.byType("cnn").orElseThrow();
    assertThat(cnn).isInstanceOf(CnnFamily.class);
    assertThat(cnn.builtInSpaces()).containsOnlyKeys("bignas-mbv2");
    assertThat(SearchSpaces.builtIn("bignas-mbv2").family()).isEqualTo("cnn");
    assertThat(ModelFamilies.of(SearchSpaces.builtIn("bignas-mbv2"))).isSameAs(cnn);
  }

  @Test
  void theTypeKeyPicksTheFamily() {
    SearchSpace space = SpaceLoader.parse("s", """
        TYPE: cnn
        MODEL: {IN_CHANS: 1, NUM_CLASSES: 10}
        SEARCH_SPACE:
          RESOLUTION: [28]
          STEM: {WIDTH: [8], KERNEL: 3, STRIDE: 1}
          STAGES: [{OP: mbconv, EXPAND: 2, WIDTH: [8], DEPTH: [1], KERNEL: [3], STRIDE: 2}]
          HEAD: {WIDTH: [16]}
        """);
    assertThat(space.family()).isEqualTo("cnn");
    assertThat(space.architectureCount().intValue()).isOne();
  }

  @Test
  void itHandsOutItsSupernetItsExactSelectorAndItsOnnxExport() {
    SearchSpace bignas = SearchSpaces.builtIn("bignas-mbv2");
    assertThat(ModelFamilies.port(bignas, SupernetFactory.class)).isInstanceOf(CnnSupernetFactory.class);
    assertThat(ModelFamilies.port(bignas, CandidateSelection.class))
        .isInstanceOf(io.prenas.cnn.selection.CnnCandidateSelection.class);
    assertThat(ModelFamilies.port(bignas, OnnxExport.class)).isInstanceOf(io.prenas.cnn.engine.CnnOnnxExport.class);
    assertThat(ModelFamilies.of(bignas).port(String.class)).isEmpty();
  }
}
