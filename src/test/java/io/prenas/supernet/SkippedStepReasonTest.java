package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.prenas.space.Architecture;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.engine.SupernetLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A skipped step says what was not finite: the loss, or which tensor's gradient with its norm. */
class SkippedStepReasonTest {

  private static final TrainingSession.Settings SETTINGS = new TrainingSession.Settings(0.05, 0, 0, "cpu");

  @Test
  void aNonFiniteGradientIsNamedWithItsNorm() {
    try (TrainingSession s = TrainingSession.open(MicroA.SPACE, MicroA.tensors("init.safetensors"), null, 0, 1,
        SETTINGS)) {
      assertThat(step(s).skipReason()).isNull(); // a first step gives every parameter its gradient buffer
      Map<String, Tensor> before = s.weights();
      // Poison one gradient buffer after the forward pass: backward adds to it, so it ends NaN while the loss is fine.
      NdGradientPoison poison = new NdGradientPoison(s, SupernetLayout.blockKey(1, SupernetLayout.FC2_WEIGHT));
      TrainingSession.StepResult r = Autograd.withHookBetweenForwardAndBackward(poison, () -> step(s));
      assertThat(Double.isFinite(r.loss())).isTrue();
      assertThat(r.skipReason()).isEqualTo("non-finite gradient of blocks.1.fc2.weight (norm NaN), 1 of 72 tensors "
          + "not finite");
      assertThat(s.weights()).isEqualTo(before);
    }
  }

  @Test
  void aNonFiniteLossIsNamedWithItsValue() {
    Map<String, Tensor> weights = new java.util.LinkedHashMap<>(MicroA.tensors("init.safetensors"));
    Tensor bias = weights.get(SupernetLayout.HEAD_BIAS);
    float[] nan = bias.toFloats();
    nan[0] = Float.NaN;
    weights.put(SupernetLayout.HEAD_BIAS, Tensor.ofFloats(bias.shape(), nan));
    try (TrainingSession s = TrainingSession.open(MicroA.SPACE, weights, null, 0, 1, SETTINGS)) {
      assertThat(step(s).skipReason()).isEqualTo("non-finite loss NaN");
    }
  }

  private static TrainingSession.StepResult step(TrainingSession s) {
    Tensor images = MicroA.images();
    int n = (int) images.shape()[0];
    float[] targets = new float[n * 10];
    for (int i = 0; i < n; i++) {
      targets[i * 10 + i % 10] = 1;
    }
    Architecture arch = MicroA.SPACE.maxArchitecture();
    return s.step(arch, images.toFloats(), images.shape(), targets, 1e-3, 3);
  }

  /** Fills one parameter's gradient buffer with NaN. */
  private record NdGradientPoison(TrainingSession session, String key) implements Runnable {
    @Override
    public void run() {
      NDArray parameter = session.parameters().get(key);
      float[] nan = new float[Math.toIntExact(parameter.getShape().size())];
      java.util.Arrays.fill(nan, Float.NaN);
      try (NDArray gradient = parameter.getGradient()) {
        gradient.set(nan);
      }
    }
  }
}
