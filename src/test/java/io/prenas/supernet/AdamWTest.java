package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * AdamW's update against {@code torch.optim.AdamW}'s rule computed in double precision here: tensors of several
 * shapes in both decay groups (a matrix and a table decayed; a bias, a vector and an exempt matrix not), six steps
 * with a changing learning rate and one step of tiny gradients, so that the libtorch call keeps updating every
 * tensor after TorchScript has profiled and optimised it.
 */
class AdamWTest {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;
  private static final double DECAY = 0.05;

  @Test
  void updatesEveryTensorInPlaceByTorchsAdamWRule() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("blocks.0.fc1.weight", new long[] {37, 16});
    shapes.put("blocks.0.fc1.bias", new long[] {37});
    shapes.put("norm.weight", new long[] {7});
    shapes.put("pos_embed", new long[] {1, 5, 16});
    shapes.put("blocks.0.attn.rel_pos_embed_k.embeddings_table_v", new long[] {29, 64});
    shapes.put("head.weight", new long[] {1, 1000});
    Random rng = new Random(3);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        AdamW adamw = new AdamW(manager, DECAY, Set.of("pos_embed"))) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      Map<String, double[][]> oracle = new LinkedHashMap<>(); // p, m, v
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        double[] p = gaussian(rng, (int) new Shape(e.getValue()).size(), 1);
        NDArray array = floats(manager, p, e.getValue());
        array.setRequiresGradient(true);
        params.put(e.getKey(), array);
        oracle.put(e.getKey(), new double[][] {p, new double[p.length], new double[p.length]});
      }
      for (int t = 1; t <= 6; t++) {
        double lr = 1e-3 * t;
        try (NDManager step = manager.newSubManager()) {
          for (Map.Entry<String, NDArray> e : params.entrySet()) {
            double[][] o = oracle.get(e.getKey());
            double[] g = gaussian(rng, o[0].length, t == 3 ? 1e-4 : 1);
            setGradient(e.getValue(), g, e.getValue().getShape().getShape(), step);
            boolean decays = adamw.decays(e.getKey(), e.getValue());
            for (int i = 0; i < g.length; i++) {
              if (decays) {
                o[0][i] *= 1 - lr * DECAY;
              }
              o[1][i] = BETA1 * o[1][i] + (1 - BETA1) * g[i];
              o[2][i] = BETA2 * o[2][i] + (1 - BETA2) * g[i] * g[i];
              double denominator = Math.sqrt(o[2][i]) / Math.sqrt(1 - Math.pow(BETA2, t)) + EPS;
              o[0][i] -= lr / (1 - Math.pow(BETA1, t)) * o[1][i] / denominator;
            }
          }
          adamw.step(params, lr, step);
        }
        for (String key : params.keySet()) {
          double[][] want = oracle.get(key);
          float[][] got = {params.get(key).toFloatArray(), adamw.firstMoments().get(key).toFloatArray(),
              adamw.secondMoments().get(key).toFloatArray()};
          for (int j = 0; j < 3; j++) {
            for (int i = 0; i < want[j].length; i++) {
              assertThat((double) got[j][i])
                  .as("%s[%d] of %s after step %d", new String[] {"p", "m", "v"}[j], i, key, t)
                  .isCloseTo(want[j][i], within(1e-6 * (1 + Math.abs(want[j][i]))));
            }
          }
        }
      }
      assertThat(adamw.stepCount()).isEqualTo(6);
      assertThat(adamw.decays("pos_embed", params.get("pos_embed"))).isFalse();
      assertThat(adamw.decays("blocks.0.fc1.bias", params.get("blocks.0.fc1.bias"))).isFalse();
      assertThat(adamw.decays("blocks.0.fc1.weight", params.get("blocks.0.fc1.weight"))).isTrue();
    }
  }

  /** Makes {@code g} the parameter's accumulated gradient, through a recorded pass of {@code sum(p * g)}. */
  private static void setGradient(NDArray parameter, double[] g, long[] shape, NDManager step) {
    NDArray weights = floats(step, g, shape);
    Autograd.backward(java.util.List.of(parameter), () -> ParameterSet.whole(parameter, step).mul(weights).sum());
  }

  private static double[] gaussian(Random rng, int n, double scale) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * scale); // float values, so that the oracle starts from the same numbers
    }
    return x;
  }

  private static NDArray floats(NDManager manager, double[] values, long[] shape) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return HostArrays.floats(manager, f, new Shape(shape));
  }
}
