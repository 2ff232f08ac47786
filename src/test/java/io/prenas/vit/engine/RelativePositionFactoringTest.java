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
 * The factored relative-position terms ({@link RelativePosition2D.Tables}) against the reference's dense form (gather
 * the (tokens, tokens, 64) embedding, then multiply): same scores, same value mix, same gradients for the tables,
 * the queries and the attention weights, with and without distance clipping.
 */
class RelativePositionFactoringTest {

  @ParameterizedTest(name = "side {0}, maxRel {1}")
  @CsvSource({"4, 14", "5, 2", "3, 1"})
  void factoredTermsEqualTheDenseReferenceFormWithGradients(int side, int maxRel) {
    RelativePosition2D positions = new RelativePosition2D(side, maxRel);
    int n = side * side + 1;
    int rows = 2 * maxRel + 2;
    Random rng = new Random(side * 31L + maxRel);
    float[] tv = gaussian(rng, rows * 64);
    float[] th = gaussian(rng, rows * 64);
    float[] q = gaussian(rng, 2 * 3 * n * 64);
    float[] logits = gaussian(rng, 2 * 3 * n * n);
    float[] r1 = gaussian(rng, 2 * 3 * n * n);
    float[] r2 = gaussian(rng, 2 * 3 * n * 64);

    List<float[]> dense = run(positions, side, n, rows, tv, th, q, logits, r1, r2, false);
    List<float[]> factored = run(positions, side, n, rows, tv, th, q, logits, r1, r2, true);
    String[] names = {"key scores", "value mix", "grad T_v", "grad T_h", "grad q", "grad logits"};
    for (int i = 0; i < names.length; i++) {
      assertThat(maxRelDiff(factored.get(i), dense.get(i))).as(names[i]).isLessThan(2e-6);
    }
  }

  /** Key scores, value mix, then the gradients of sum(scores * r1) + sum(mix * r2). */
  private static List<float[]> run(RelativePosition2D positions, int side, int n, int rows, float[] tv, float[] th,
      float[] q, float[] logits, float[] r1, float[] r2, boolean factored) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray tableV = param(m, tv, new Shape(rows, 64));
      NDArray tableH = param(m, th, new Shape(rows, 64));
      NDArray query = param(m, q, new Shape(2, 3, n, 64));
      NDArray attnLogits = param(m, logits, new Shape(2, 3, n, n));
      NDArray scores;
      NDArray mix;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray attn = attnLogits.softmax(-1);
        if (factored) {
          RelativePosition2D.Tables t = positions.tables(m, tableV, tableH);
          scores = t.keyScores(query);
          mix = t.valueMix(attn);
        } else {
          NDArray e = positions.embeddings(m, tableV, tableH); // (n, n, 64)
          NDArray byToken = query.transpose(2, 0, 1, 3).reshape(n, 6, 64);
          scores = byToken.matMul(e.transpose(0, 2, 1)).transpose(1, 0, 2).reshape(2, 3, n, n);
          NDArray attnByToken = attn.transpose(2, 0, 1, 3).reshape(n, 6, n);
          mix = attnByToken.matMul(e).transpose(1, 0, 2).reshape(2, 3, n, 64);
        }
        NDArray loss = scores.mul(m.create(r1, scores.getShape())).sum()
            .add(mix.mul(m.create(r2, mix.getShape())).sum());
        gc.backward(loss);
      }
      List<float[]> out = new ArrayList<>();
      out.add(scores.toFloatArray());
      out.add(mix.toFloatArray());
      out.add(tableV.getGradient().toFloatArray());
      out.add(tableH.getGradient().toFloatArray());
      out.add(query.getGradient().toFloatArray());
      out.add(attnLogits.getGradient().toFloatArray());
      return out;
    }
  }

  private static NDArray param(NDManager m, float[] values, Shape shape) {
    NDArray a = m.create(values, shape);
    a.setRequiresGradient(true);
    return a;
  }

  private static float[] gaussian(Random rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextGaussian();
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
