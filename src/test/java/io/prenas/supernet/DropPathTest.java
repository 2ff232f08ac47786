package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DropPath} against timm's {@code drop_path}, {@code (x / keep) * mask} with the same per-sample draws: the same
 * bits forward (signed zeros included) and backward, whether no sample, some or all are dropped.
 */
class DropPathTest {

  @ParameterizedTest(name = "rate {0}")
  @ValueSource(doubles = {0.1, 0.5, 0.97})
  void oneDivisionGivesTimmsValuesAndGradientsToTheBit(double rate) {
    for (int batch : new int[] {2, 16}) { // at rate 0.1, a batch of 2 mostly keeps both: the all-kept path
      for (long seed = 0; seed < 6; seed++) {
        float[][] ours = run(batch, rate, seed, false);
        float[][] timm = run(batch, rate, seed, true);
        for (int k = 0; k < 2; k++) {
          assertThat(bits(ours[k])).as(k == 0 ? "values" : "gradients").containsExactly(bits(timm[k]));
        }
      }
    }
  }

  /** Values and the input's gradient under a random upstream gradient, by DropPath or by timm's formula. */
  private static float[][] run(int batch, double rate, long seed, boolean timm) {
    Random rng = new Random(7);
    float[] x = new float[batch * 3 * 5];
    float[] g = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
      g[i] = (float) rng.nextGaussian();
    }
    ForwardMode mode = ForwardMode.training(rate, seed);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Shape shape = new Shape(batch, 3, 5);
      NDArray input = HostArrays.floats(m, x, shape);
      input.setRequiresGradient(true);
      NDArray out;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        if (timm) {
          double keep = 1 - rate;
          float[] mask = new float[batch];
          for (int i = 0; i < batch; i++) {
            mask[i] = (float) Math.floor(keep + mode.random().nextDouble());
          }
          out = input.div(HostArrays.floats(m, new float[] {(float) keep}, new Shape()))
              .mul(HostArrays.floats(m, mask, new Shape(batch, 1, 1)));
        } else {
          out = DropPath.apply(input, rate, mode);
        }
        gc.backward(out.mul(HostArrays.floats(m, g, shape)).sum());
      }
      return new float[][] {out.toFloatArray(), input.getGradient().toFloatArray()};
    }
  }

  private static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }
}
