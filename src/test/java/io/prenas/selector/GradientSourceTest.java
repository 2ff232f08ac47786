package io.prenas.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prenas.space.SearchSpaces;
import io.prenas.supernet.GradientPass;
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
}
