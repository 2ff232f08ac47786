package io.prenas.vit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AttentionCore} (relative terms through the {@link RelativePosition2D.Lookup}) against attention written out
 * in the reference's dense form: the (tokens, tokens, 64) embeddings gathered, then multiplied. Same output, same
 * gradients for the qkv product and all four tables, with and without distance clipping (where several grid lines
 * read one table row).
 */
class AttentionCoreTest {

  private static final int HEADS = 2;
  private static final int BATCH = 2;
  private static final float SCALE = 0.125f;

  @ParameterizedTest(name = "side {0}, maxRel {1}")
  @CsvSource({"4, 14", "5, 2", "3, 1", "14, 14"})
  void equalsTheDenseReferenceFormWithGradients(int side, int maxRel) {
    RelativePosition2D positions = new RelativePosition2D(side, maxRel);
    int n = side * side + 1;
    int rows = 2 * maxRel + 2;
    Random rng = new Random(side * 31L + maxRel);
    float[][] tables = new float[4][];
    for (int i = 0; i < 4; i++) {
      tables[i] = gaussian(rng, rows * 64, 0.5);
    }
    float[] projected = gaussian(rng, BATCH * n * 3 * HEADS * 64, 1);
    float[] weights = gaussian(rng, BATCH * n * HEADS * 64, 1);

    List<float[]> dense = run(positions, n, rows, tables, projected, weights, false);
    List<float[]> core = run(positions, n, rows, tables, projected, weights, true);
    String[] names = {"output", "grad qkv", "grad keys' T_v", "grad keys' T_h", "grad values' T_v",
        "grad values' T_h"};
    // float32 rounding of differently grouped sums: at side 14 (197 tokens) a table row's gradient adds up tens of
    // thousands of products in either form; a wrong index would be off by whole entries
    for (int i = 0; i < names.length; i++) {
      assertThat(maxRelDiff(core.get(i), dense.get(i))).as(names[i]).isLessThan(5e-6);
    }
  }

  /** The output, then the gradients of sum(output * weights) for the qkv product and the four tables. */
  private static List<float[]> run(RelativePosition2D positions, int n, int rows, float[][] tables,
      float[] projected, float[] weights, boolean core) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray qkv = param(m, projected, new Shape(BATCH, n, 3 * HEADS * 64));
      NDArray[] t = new NDArray[4];
      for (int i = 0; i < 4; i++) {
        t[i] = param(m, tables[i], new Shape(rows, 64));
      }
      NDArray out;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        if (core) {
          AttentionWeights w = new AttentionWeights(HEADS, null, null, t[0], t[1], t[2], t[3], null, null);
          try (RelativePosition2D.Lookup lookup = positions.lookup(m)) {
            out = AttentionCore.apply(qkv, w, lookup);
          }
        } else {
          out = dense(positions, m, qkv, t, n);
        }
        gc.backward(out.mul(m.create(weights, out.getShape())).sum());
      }
      List<float[]> result = new ArrayList<>();
      result.add(out.toFloatArray());
      result.add(qkv.getGradient().toFloatArray());
      for (NDArray table : t) {
        result.add(table.getGradient().toFloatArray());
      }
      return result;
    }
  }

  /** {@code softmax(s QK^T + s Q . E_k) V + sum_j A_ij E_v[i, j]}, heads joined, with the dense embeddings E. */
  private static NDArray dense(RelativePosition2D positions, NDManager m, NDArray qkv, NDArray[] t, int n) {
    NDArray heads = qkv.reshape(BATCH, n, 3, HEADS, 64).transpose(2, 0, 3, 1, 4); // (3, B, h, N, 64)
    NDArray q = heads.get(0);
    NDArray k = heads.get(1);
    NDArray v = heads.get(2);
    NDArray keys = positions.embeddings(m, t[0], t[1]); // (N, N, 64)
    NDArray values = positions.embeddings(m, t[2], t[3]);
    NDArray byToken = q.transpose(2, 0, 1, 3).reshape(n, BATCH * HEADS, 64);
    NDArray relScores = byToken.matMul(keys.transpose(0, 2, 1)).transpose(1, 0, 2).reshape(BATCH, HEADS, n, n);
    NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).add(relScores).mul(SCALE).softmax(-1);
    NDArray attnByToken = attn.transpose(2, 0, 1, 3).reshape(n, BATCH * HEADS, n);
    NDArray relMix = attnByToken.matMul(values).transpose(1, 0, 2).reshape(BATCH, HEADS, n, 64);
    NDArray mixed = attn.matMul(v).add(relMix);
    return mixed.transpose(0, 2, 1, 3).reshape(BATCH, n, HEADS * 64);
  }

  private static NDArray param(NDManager m, float[] values, Shape shape) {
    NDArray a = m.create(values, shape);
    a.setRequiresGradient(true);
    return a;
  }

  private static float[] gaussian(Random rng, int n, double std) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * std);
    }
    return x;
  }

  /** Largest difference relative to the largest magnitude of the expected values. */
  private static double maxRelDiff(float[] got, float[] want) {
    assertThat(got).hasSameSizeAs(want);
    double scale = 1e-12;
    double diff = 0;
    for (int i = 0; i < want.length; i++) {
      scale = Math.max(scale, Math.abs(want[i]));
      diff = Math.max(diff, Math.abs(got[i] - want[i]));
    }
    return diff / scale;
  }
}
