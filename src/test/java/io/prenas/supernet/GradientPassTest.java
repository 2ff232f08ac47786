package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.tensorio.Tensor;
import io.prenas.vit.engine.SupernetLayout;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The selector's gradient pass on a seeded init with data-free images and drop-path active (the defaults). */
class GradientPassTest {

  private static GradientPass.Result result;

  @BeforeAll
  static void run() throws Exception {
    result = GradientPass.of(MicroA.SPACE).seed(5).gaussianImages(4, 11).device("cpu").run();
  }

  static Stream<String> parameterNames() {
    return SupernetLayout.shapes(MicroA.SPACE).keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("parameterNames")
  void everyParameterOfTheMaxSubnetReceivesAGradient(String key) {
    Tensor grad = result.gradients().get(key);
    assertThat(grad).as(key).isNotNull();
    assertThat(grad.shape()).containsExactly(result.weights().get(key).shape());
    float[] g = grad.toFloats();
    boolean anyNonZero = false;
    for (float v : g) {
      assertThat(Float.isFinite(v)).as(key).isTrue();
      anyNonZero |= v != 0;
    }
    assertThat(anyNonZero).as(key + " has a non-zero gradient").isTrue();
  }

  @Test
  void sameSeedsGiveTheSameGradients() throws Exception {
    GradientPass.Result again = GradientPass.of(MicroA.SPACE).seed(5).gaussianImages(4, 11).device("cpu").run();
    assertThat(again.gradients()).isEqualTo(result.gradients());
    assertThat(result.architecture()).isEqualTo(MicroA.SPACE.maxArchitecture());
    assertThat(result.timing().totalNanos()).isPositive();
  }

  /**
   * Micro-batches on the architecture's pinned weights (the default) give the gradients of micro-batches on supernet
   * slices, bit for bit: the max architecture, and the smallest one, whose slices cut every tensor (zeros outside).
   */
  @ParameterizedTest
  @CsvSource({"5, FP32", "0, FP32", "0, BF16"})
  void pinnedMicroBatchesGiveTheGradientsOfSlicedOnes(int subnet, Precision precision) throws Exception {
    var arch = MicroA.subnets().get(subnet);
    try (Supernet net = io.prenas.vit.engine.VitSupernet.fromTensors(MicroA.SPACE, MicroA.tensors("init.safetensors"),
        "cpu"); ai.djl.ndarray.NDManager owner = net.parameters().manager().newSubManager()) {
      assertThat(net.pin(arch, owner)).as("the ViT family pins").isPresent();
    }
    GradientPass pass = GradientPass.of(MicroA.SPACE).initialWeights(MicroA.tensors("init.safetensors"))
        .gaussianImages(5, 3).microBatch(2).architecture(arch).precision(precision).device("cpu");
    GradientPass.Result pinned = pass.run();
    GradientPass.Result sliced = pass.pinArchitecture(false).run();
    assertThat(pinned.gradients().keySet()).containsExactlyElementsOf(sliced.gradients().keySet());
    for (String key : sliced.gradients().keySet()) {
      assertThat(pinned.gradients().get(key).toFloats()).as(key)
          .containsExactly(sliced.gradients().get(key).toFloats());
    }
    assertThat(pinned.loss()).isEqualTo(sliced.loss());
    if (subnet == 0) { // 96 wide in the supernet's 128: the head's last column is outside every slice
      float[] head = pinned.gradients().get(SupernetLayout.HEAD_WEIGHT).toFloats();
      assertThat(head[MicroA.SPACE.supernet().embedDim() - 1]).isZero();
      assertThat(head[0]).isNotZero();
    }
  }

  @Test
  void gaussianImagesHaveTheImagenetChannelStatistics() {
    Tensor x = GradientPass.gaussianImages(MicroA.SPACE, 16, 0);
    assertThat(x.shape()).containsExactly(16, 3, 64, 64);
    float[] v = x.toFloats();
    int plane = 64 * 64;
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      for (int b = 0; b < 16; b++) {
        for (int p = 0; p < plane; p++) {
          sum += v[(b * 3 + c) * plane + p];
        }
      }
      assertThat(sum / (16 * plane)).isCloseTo(GradientPass.IMAGENET_MEAN[c],
          org.assertj.core.data.Offset.offset(0.01));
    }
  }

  @Test
  void crossEntropyNeedsLabels() {
    assertThatThrownBy(() -> GradientPass.of(MicroA.SPACE).batch(MicroA.images(), null)
        .objective(GradientPass.Objective.CROSS_ENTROPY, 0.1).run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
  }

  @Test
  void crossEntropyWithLabelsRuns() throws Exception {
    GradientPass.Result r = GradientPass.of(MicroA.SPACE)
        .initialWeights(MicroA.tensors("init.safetensors"))
        .batch(MicroA.images(), MicroA.labels())
        .objective(GradientPass.Objective.CROSS_ENTROPY, 0.1).dropPathRate(0).run();
    // Train mode with drop-path 0 equals eval mode, so the loss is the fixture's eval loss of the max subnet.
    assertThat(r.loss()).isCloseTo(2.234663963317871, org.assertj.core.data.Offset.offset(1e-6));
  }
}
