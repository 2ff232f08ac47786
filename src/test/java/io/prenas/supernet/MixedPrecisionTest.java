package io.prenas.supernet;

import static io.prenas.supernet.MicroA.cosine;
import static io.prenas.supernet.MicroA.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bfloat16 cast keeps the autograd graph: a float32 master weight gets its gradient through a bf16 product. */
class MixedPrecisionTest {

  @Test
  void gradientsFlowThroughTheCastBackToFloat32MasterWeights() {
    try (NDManager root = NDManager.newBaseManager()) {
      NDArray w = root.create(randoms(64 * 48, 1), new Shape(64, 48));
      w.setRequiresGradient(true);
      float[] fp32 = gradientOfW(root, w, Precision.FP32);
      float[] bf16 = gradientOfW(root, w, Precision.BF16);
      assertThat(w.getGradient().getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(norm(bf16)).isGreaterThan(0);
      assertThat(cosine(fp32, bf16)).isGreaterThan(0.999);
      double maxRel = 0;
      for (int i = 0; i < fp32.length; i++) {
        maxRel = Math.max(maxRel, Math.abs(fp32[i] - bf16[i]) / (norm(fp32) / Math.sqrt(fp32.length)));
      }
      assertThat(maxRel).isLessThan(5e-2); // bf16 keeps 8 significant bits: ~0.4 % per rounding
    }
  }

  @Test
  void theCastRoundsToNearestEvenAndFp32IsTheIdentity() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] values = randoms(1000, 3);
      values[0] = Float.intBitsToFloat(0x3f808000); // exactly halfway between two bf16 values: rounds to even
      NDArray x = m.create(values, new Shape(10, 100));
      float[] roundTrip = MixedPrecision.master(MixedPrecision.compute(x, Precision.BF16), Precision.BF16)
          .toFloatArray();
      for (int i = 0; i < values.length; i++) {
        assertThat(roundTrip[i]).as("element %d", i).isEqualTo(bf16(values[i]));
      }
      assertThat(roundTrip[0]).isEqualTo(1.0f);
      assertThat(MixedPrecision.compute(x, Precision.FP32)).isSameAs(x);
      assertThat(MixedPrecision.master(x, Precision.FP32)).isSameAs(x);
    }
  }

  /** Round to nearest even on the top 16 bits (finite values). */
  private static float bf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(rounded & 0xffff0000);
  }

  @Test
  void precisionNamesParseAndOthersAreRefused() {
    assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
    assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
    assertThat(Precision.BF16.id()).isEqualTo("bf16");
    assertThatThrownBy(() -> Precision.parse("fp16")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fp32 or bf16").hasMessageContaining("fp16");
  }

  /** d/dw of sum((x w^T)^2) with the product in {@code precision}; x is made per pass (a step's input). */
  private static float[] gradientOfW(NDManager root, NDArray w, Precision precision) {
    try (NDManager step = root.newSubManager()) {
      NDArray x = step.create(randoms(16 * 48, 2), new Shape(16, 48));
      Autograd.backward(List.of(w), () -> {
        NDArray y32 = MixedPrecision.linearToMaster(x, w, null, precision);
        return y32.mul(y32).sum();
      });
      return Autograd.gradient(w, step).toFloatArray();
    }
  }

  private static float[] randoms(int n, long seed) {
    Random r = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }
}
