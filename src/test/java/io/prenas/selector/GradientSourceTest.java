package io.prenas.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prenas.space.SearchSpaces;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.Precision;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gradient pass through {@link GradientSource}, whole and in micro-batches, against the reference gradients. */
class GradientSourceTest {

  @Test
  void microBatchesAddUpToTheReferenceGradient() throws Exception {
    var space = SearchSpaces.resolve("src/test/resources/spaces/micro-a.yaml");
    Map<String, Tensor> expected = Safetensors.read(SharedFiles.microA("grads.safetensors")).tensors();
    for (int micro : new int[] {8, 3}) {
      SnipInputs in = GradientSource.fromGradientPass(space, new GradientSource.PassSettings(
          SharedFiles.microA("init.safetensors"), SharedFiles.microA("batch.safetensors"), 8, micro, 0, 0.0,
          GradientPass.Objective.SUM_OF_LOGITS, "cpu"), new PhaseTimes());
      for (Map.Entry<String, Tensor> e : expected.entrySet()) {
        float[] want = e.getValue().toFloats();
        float[] got = in.grad(e.getKey());
        assertEquals(want.length, got.length, e.getKey());
        float scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
          assertTrue(Math.abs(got[i] - want[i]) <= 1e-5f * scale + 1e-12f,
              e.getKey() + "[" + i + "] micro-batch " + micro + ": " + got[i] + " vs " + want[i]);
        }
      }
    }
  }

  /**
   * A bfloat16 pass (select --precision bf16) differentiates the same float32 weights and returns float32 gradients
   * that stay close to the reference's: bfloat16 keeps 8 significant bits, so each tensor's gradient is off by a few
   * tenths of a percent of its norm, not more.
   */
  @Test
  void aBfloat16PassGivesTheReferenceGradientsToBfloat16Rounding() throws Exception {
    var space = SearchSpaces.resolve("src/test/resources/spaces/micro-a.yaml");
    Map<String, Tensor> init = Safetensors.read(SharedFiles.microA("init.safetensors")).tensors();
    Map<String, Tensor> expected = Safetensors.read(SharedFiles.microA("grads.safetensors")).tensors();
    SnipInputs in = GradientSource.fromGradientPass(space, new GradientSource.PassSettings(
        SharedFiles.microA("init.safetensors"), SharedFiles.microA("batch.safetensors"), 8, 3, 0, 0.0,
        GradientPass.Objective.SUM_OF_LOGITS, "cpu", Precision.BF16), new PhaseTimes());
    double worst = 0;
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      assertThat(in.weight(e.getKey())).as("master weights stay float32").isEqualTo(init.get(e.getKey()).toFloats());
      float[] want = e.getValue().toFloats();
      float[] got = in.grad(e.getKey());
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < want.length; i++) {
        diff += (got[i] - want[i]) * (double) (got[i] - want[i]);
        norm += want[i] * (double) want[i];
      }
      if (norm > 0) {
        worst = Math.max(worst, Math.sqrt(diff / norm));
      }
    }
    assertThat(worst).as("largest relative L2 error of a gradient tensor").isLessThan(0.02).isGreaterThan(0);
  }

  @Test
  void aCnnSpaceRefusesBfloat16() {
    var space = SearchSpaces.resolve(SharedFiles.resolve("fixtures/cnn-micro-a/space.yaml").toString());
    assertThatThrownBy(() -> GradientSource.fromGradientPass(space, new GradientSource.PassSettings(null, null, 2, 2,
        0, 0.0, null, "cpu", Precision.BF16), new PhaseTimes()))
        .isInstanceOf(SelectorException.class).hasMessageContaining("fp32 only");
  }
}
