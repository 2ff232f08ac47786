package io.prenas.vit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.Complexity;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A supernet wider than 64 x heads (E_s 192, 2 heads): the reference builds its relative-position tables
 * E_s / heads = 96 wide, attention reads the first 64 columns, and standalone subnets keep those 64.
 */
class WideTableLayoutTest {

  private final VitSpace space = new VitSpace("wide", new SupernetDims(192, 2, 2, 2.0),
      new ModelSettings(32, 16, 3, 5, 14), List.of(128, 192), List.of(1, 2), List.of(1.0, 2.0), List.of(1, 2), null);

  @Test
  void supernetTablesFollowTheReferenceWidthAndTotalsAgreeWithTheCounter() {
    assertThat(SupernetLayout.shapes(space).get("blocks.0.attn.rel_pos_embed_k.embeddings_table_v"))
        .containsExactly(30, 96);
    assertThat(SupernetLayout.totalParameters(space)).isEqualTo(Complexity.supernetParams(space));
  }

  @Test
  void forwardAndExportUseTheFirst64Columns() {
    VitArchitecture arch = new VitArchitecture(128, 2, List.of(2.0, 1.0), List.of(2, 1));
    try (VitSupernet net = VitSupernet.initialize(space, 3)) {
      float[] x = new float[2 * 3 * 32 * 32];
      for (int i = 0; i < x.length; i++) {
        x[i] = (i % 17) / 17f;
      }
      Tensor images = Tensor.ofFloats(new long[] {2, 3, 32, 32}, x);
      Tensor logits = net.logits(arch, images);
      var tensors = SubnetExporter.tensors(net, arch);
      assertThat(tensors.get("blocks.1.attn.rel_pos_embed_v.embeddings_table_h").shape()).containsExactly(30, 64);
      assertThat(tensors.values().stream().mapToLong(Tensor::numel).sum())
          .isEqualTo(Complexity.params(arch, space.model()));
      try (VitModel plain = VitModel.fromTensors(arch, space.model(), tensors, null)) {
        assertThat(plain.logits(images).toFloats()).containsExactly(logits.toFloats());
      }
    }
  }
}
