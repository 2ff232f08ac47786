package io.prenas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.onnx.OnnxExport;
import io.prenas.selector.CandidateSelection;
import io.prenas.supernet.SupernetFactory;
import org.junit.jupiter.api.Test;

/** The family registry: what is registered, how a space file picks its family, and what a family must hand out. */
class ModelFamiliesTest {

  @Test
  void theVitFamilyIsRegisteredWithItsPortsAndBuiltIns() {
    ModelFamily vit = ModelFamilies.byType("vit").orElseThrow();
    assertThat(ModelFamilies.types()).contains("vit");
    assertThat(vit.builtInSpaces()).containsKeys("autoformer-tiny", "autoformer-small", "autoformer-base");
    assertThat(vit.port(SupernetFactory.class)).isPresent();
    assertThat(vit.port(CandidateSelection.class)).isPresent();
    assertThat(vit.port(OnnxExport.class)).isPresent();
    assertThat(vit.port(String.class)).isEmpty();
  }

  @Test
  void aSpaceFileWithoutTypeIsVitAndTypeVitIsTheSame() {
    String body = "SUPERNET: {MLP_RATIO: 4.0, NUM_HEADS: 2, EMBED_DIM: 128, DEPTH: 2}\n"
        + "SEARCH_SPACE: {MLP_RATIO: [2.0, 4.0], NUM_HEADS: [1, 2], DEPTH: [1, 2], EMBED_DIM: [64, 128]}\n";
    SearchSpace plain = SpaceLoader.parse("s", body);
    SearchSpace typed = SpaceLoader.parse("s", "TYPE: vit\n" + body);
    assertThat(plain.family()).isEqualTo("vit");
    assertThat(typed).isEqualTo(plain);
    assertThat(ModelFamilies.of(typed).type()).isEqualTo("vit");
  }

  @Test
  void anUnknownFamilyIsRefusedNamingTheTypeKey() {
    assertThatThrownBy(() -> SpaceLoader.parse("s", "TYPE: transformer-xl\nSUPERNET: {}\n"))
        .isInstanceOf(SpaceException.class)
        .hasMessageContaining("TYPE")
        .hasMessageContaining("unknown model family 'transformer-xl'")
        .hasMessageContaining("vit");
    assertThatThrownBy(() -> SpaceLoader.parse("s", "TYPE: [vit]\nSUPERNET: {}\n"))
        .isInstanceOf(SpaceException.class)
        .hasMessageContaining("TYPE");
  }

  @Test
  void aNeutralArchitectureOfAnotherFamilyIsRefusedByTheVitSpace() {
    SearchSpace tiny = SearchSpaces.builtIn("autoformer-tiny");
    Architecture foreign = () -> "k3_e6_w1.0";
    assertThatThrownBy(() -> tiny.validate(foreign)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("not a ViT architecture");
    assertThat(tiny.contains(foreign)).isFalse();
  }
}
