package io.prenas.vit.engine;

import io.prenas.supernet.MicroA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import io.prenas.supernet.ForwardMode;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import org.junit.jupiter.api.Test;

/** The small pieces whose reference behaviour is easy to get subtly wrong. */
class VitPiecesTest {

  @Test
  void relativePositionIndicesMatchSpecG6() {
    RelativePosition2D rel = new RelativePosition2D(ModelSettings.IMAGENET.gridSide(), 14);
    assertThat(rel.tokens()).isEqualTo(197);
    int[][] cases = {{0, 5, 0, 0}, {7, 0, 0, 0}, {1, 1, 15, 15}, {1, 14, 15, 28}, {1, 15, 16, 15},
        {1, 196, 28, 28}, {196, 1, 2, 2}, {20, 35, 16, 16}};
    for (int[] c : cases) {
      assertThat(rel.verticalIndex(c[0], c[1])).as("iv(%d,%d)", c[0], c[1]).isEqualTo(c[2]);
      assertThat(rel.horizontalIndex(c[0], c[1])).as("ih(%d,%d)", c[0], c[1]).isEqualTo(c[3]);
    }
  }

  @Test
  void geluIsTheErfForm() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.linspace(-6f, 6f, 1001);
      NDArray erfForm = x.mul(0.5f).mul(x.div((float) Math.sqrt(2)).erf().add(1f));
      float[] a = Activation.gelu(x).toFloatArray();
      float[] b = erfForm.toFloatArray();
      assertThat(MicroA.maxAbsDiff(a, b)).isLessThan(1e-6); // tanh approximation differs by ~4e-4
    }
  }

  @Test
  void dropPathRatesFollowTheSuperDepthLinspace() {
    ForwardMode mode = ForwardMode.training(0.1, 0);
    assertThat(mode.dropPathRate(0, 14)).isZero();
    assertThat(mode.dropPathRate(13, 14)).isCloseTo(0.1, within(1e-12));
    assertThat(mode.dropPathRate(1, 14)).isCloseTo(0.1 / 13, within(1e-12));
    assertThat(ForwardMode.eval().dropPathRate(13, 14)).isZero();
  }

  @Test
  void forwardPassesLeaveNothingBehindInTheWeightsManager() throws Exception {
    try (VitSupernet net = VitSupernet.initialize(MicroA.SPACE, 3, "cpu")) {
      int before = net.parameters().manager().getManagedArrays().size();
      VitArchitecture arch = MicroA.subnets().get(2);
      Tensor first = net.logits(arch, MicroA.images());
      for (int i = 0; i < 3; i++) {
        assertThat(net.logits(arch, MicroA.images())).isEqualTo(first); // deterministic in eval mode
      }
      assertThat(net.parameters().manager().getManagedArrays()).hasSize(before);
    }
  }

  @Test
  void seededInitIsReproducibleAndFollowsTheReferenceRules() {
    var a = ReferenceInit.weights(MicroA.SPACE, 7);
    assertThat(ReferenceInit.weights(MicroA.SPACE, 7)).isEqualTo(a);
    assertThat(ReferenceInit.weights(MicroA.SPACE, 8)).isNotEqualTo(a);
    assertThat(a.get("blocks.0.fc1.bias").toFloats()).containsOnly(0f);
    assertThat(a.get("norm.weight").toFloats()).containsOnly(1f);
    float[] qkv = a.get("blocks.1.attn.qkv.weight").toFloats();
    double sq = 0;
    for (float v : qkv) {
      sq += v * v;
    }
    assertThat(Math.sqrt(sq / qkv.length)).isCloseTo(0.02, within(0.001));
    double bound = 1 / Math.sqrt(768);
    for (float v : a.get("patch_embed_super.proj.bias").toFloats()) {
      assertThat((double) Math.abs(v)).isLessThanOrEqualTo(bound);
    }
  }
}
