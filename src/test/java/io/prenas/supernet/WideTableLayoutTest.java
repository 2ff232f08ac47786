package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.space.Architecture;
import io.prenas.space.Complexity;
import io.prenas.space.ModelSettings;
import io.prenas.space.SearchSpace;
import io.prenas.space.SupernetDims;
import io.prenas.tensorio.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A supernet wider than 64 x heads (E_s 192, 2 heads): the reference builds its relative-position tables
 * E_s / heads = 96 wide, attention reads the first 64 columns, and standalone subnets keep those 64.
 */
class WideTableLayoutTest {

  private final SearchSpace space = new SearchSpace("wide", new SupernetDims(192, 2, 2, 2.0),
      new ModelSettings(32, 16, 3, 5, 14), List.of(128, 192), List.of(1, 2), List.of(1.0, 2.0), List.of(1, 2), null);

  @Test
  void supernetTablesFollowTheReferenceWidthAndTotalsAgreeWithTheCounter() {
    assertThat(SupernetLayout.shapes(space).get("blocks.0.attn.rel_pos_embed_k.embeddings_table_v"))
        .containsExactly(30, 96);
    assertThat(SupernetLayout.totalParameters(space)).isEqualTo(Complexity.supernetParams(space));
  }

  @Test
  void forwardAndExportUseTheFirst64Columns() {
    Architecture arch = new Architecture(128, 2, List.of(2.0, 1.0), List.of(2, 1));
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
