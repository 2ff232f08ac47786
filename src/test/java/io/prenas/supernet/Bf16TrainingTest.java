package io.prenas.supernet;

import static io.prenas.supernet.MicroA.cosine;
import static io.prenas.supernet.MicroA.maxAbs;
import static io.prenas.supernet.MicroA.norm;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitArchitecture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BF16 mixed precision on the micro-a ViT fixture: logits close to float32's, and a training step's gradients reach
 * every float32 master weight, pointing the same way as float32's.
 */
class Bf16TrainingTest {

  private static final Map<String, Tensor> WEIGHTS = MicroA.tensors("init.safetensors");

  @Test
  void bf16LogitsAreWithinBf16ToleranceOfFloat32ForEverySubnet() {
    Tensor images = MicroA.images();
    try (TrainingSession session = TrainingSession.open(MicroA.SPACE, WEIGHTS, null, 0, 7,
        new TrainingSession.Settings(0, 0, 0, "cpu"))) {
      for (VitArchitecture arch : MicroA.subnets()) {
        float[] fp32 = logits(session.supernet(), arch, images, Precision.FP32);
        float[] bf16 = logits(session.supernet(), arch, images, Precision.BF16);
        double scale = maxAbs(fp32);
        assertThat(MicroA.maxAbsDiff(fp32, bf16) / scale).as("relative logit error of %s", arch).isLessThan(2e-2);
        assertThat(MicroA.maxAbsDiff(fp32, bf16)).as("bf16 actually rounds").isGreaterThan(0);
      }
    }
  }

  @Test
  void aBf16StepGivesEveryFloat32WeightAGradientCloseToFloat32s() {
    Map<String, Tensor> fp32 = stepGradients(Precision.FP32);
    Map<String, Tensor> bf16 = stepGradients(Precision.BF16);
    assertThat(bf16.keySet()).containsExactlyElementsOf(fp32.keySet());
    int compared = 0;
    for (Map.Entry<String, Tensor> e : fp32.entrySet()) {
      float[] a = e.getValue().toFloats();
      float[] b = bf16.get(e.getKey()).toFloats();
      if (norm(a) == 0) {
        continue; // a tensor the max subnet does not read gets no gradient in either precision
      }
      compared++;
      assertThat(norm(b)).as("gradient of %s", e.getKey()).isGreaterThan(0);
      assertThat(cosine(a, b)).as("cosine of the gradients of %s", e.getKey()).isGreaterThan(0.99);
      assertThat(Math.abs(norm(b) / norm(a) - 1)).as("norm ratio of %s", e.getKey()).isLessThan(0.05);
    }
    assertThat(compared).isEqualTo(fp32.size());
  }

  /** One training step of the max subnet (drop-path 0.1, label-smoothed targets) in {@code precision}. */
  private static Map<String, Tensor> stepGradients(Precision precision) {
    Tensor images = MicroA.images();
    long[] labels = MicroA.labels().toLongs();
    int classes = MicroA.SPACE.model().numClasses();
    float[] targets = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < classes; c++) {
        targets[i * classes + c] = 0.1f / classes + (c == labels[i] ? 0.9f : 0f);
      }
    }
    Architecture arch = MicroA.SPACE.maxArchitecture();
    try (TrainingSession session = TrainingSession.open(MicroA.SPACE, WEIGHTS, null, 0, 7,
        new TrainingSession.Settings(0.05, 0.1, 5.0, "cpu", precision))) {
      TrainingSession.StepResult r = session.step(arch, images.toFloats(), images.shape(), targets, 1e-3, 11);
      assertThat(r.skipReason()).isNull();
      return session.gradients();
    }
  }

  private static float[] logits(Supernet net, Architecture arch, Tensor images, Precision precision) {
    try (GradMode ignored = GradMode.disabled();
        NDManager step = net.parameters().manager().newSubManager()) {
      NDArray x = NdConvert.toNd(step, images);
      return net.forward(arch, x, ForwardMode.eval().withPrecision(precision)).toFloatArray();
    }
  }
}
