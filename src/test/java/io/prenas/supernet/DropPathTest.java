package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * bits forward (signed zeros included) and backward, whether no sample, some or all are dropped. And its residual form,
 * which computes the branch for the kept samples only, against the branch on every sample.
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

  @ParameterizedTest(name = "rate {0}")
  @ValueSource(doubles = {0.1, 0.5, 0.97})
  void aBranchOnTheKeptSamplesOnlyGivesTheFullBranchsValuesAndGradients(double rate) {
    for (int batch : new int[] {1, 4, 16}) {
      for (long seed = 0; seed < 6; seed++) {
        float[][] skipping = residual(batch, rate, seed, true);
        float[][] full = residual(batch, rate, seed, false);
        for (int k = 0; k < 4; k++) {
          String what = new String[] {"values", "input gradient", "weight gradient", "next draw"}[k];
          for (int i = 0; i < full[k].length; i++) {
            assertThat(skipping[k][i]).as(what + " " + i + " (batch " + batch + ", seed " + seed + ")")
                .isCloseTo(full[k][i], within(1e-5f * (1 + Math.abs(full[k][i]))));
          }
        }
      }
    }
  }

  /**
   * {@code x + DropPath(tanh(x W))} by {@link DropPath#residual} (the branch on the kept samples only) or by the
   * branch on every sample then {@link DropPath#apply}: values, x's and W's gradients, and the generator's next draw
   * (both must consume the same draws).
   */
  private static float[][] residual(int batch, double rate, long seed, boolean skipping) {
    Random rng = new Random(11);
    float[] x = new float[batch * 3 * 5];
    float[] g = new float[x.length];
    float[] w = new float[5 * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
      g[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    ForwardMode mode = ForwardMode.training(rate, seed);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Shape shape = new Shape(batch, 3, 5);
      NDArray input = HostArrays.floats(m, x, shape);
      NDArray weight = HostArrays.floats(m, w, new Shape(5, 5));
      input.setRequiresGradient(true);
      weight.setRequiresGradient(true);
      java.util.function.UnaryOperator<NDArray> branch = rows -> rows.matMul(weight).tanh();
      NDArray out;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        out = skipping ? DropPath.residual(input, rate, mode, branch)
            : input.add(DropPath.apply(branch.apply(input), rate, mode));
        gc.backward(out.mul(HostArrays.floats(m, g, shape)).sum());
      }
      return new float[][] {out.toFloatArray(), input.getGradient().toFloatArray(),
          weight.getGradient().toFloatArray(), {(float) mode.random().nextDouble()}};
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
