package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Norms of many arrays in one call: each array's L2 norm, in order; a NaN or infinity shows in its array's norm. */
class ForeachNormTest {

  @Test
  void givesEachArraysNormInOrder() {
    Random rng = new Random(5);
    int[][] shapes = {{3}, {17, 5}, {2, 3, 4}, {1000}};
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<NDArray> arrays = new ArrayList<>();
      double[] want = new double[shapes.length];
      for (int k = 0; k < shapes.length; k++) {
        long[] dims = java.util.Arrays.stream(shapes[k]).asLongStream().toArray();
        float[] x = new float[Math.toIntExact(new Shape(dims).size())];
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (rng.nextGaussian() * (k + 1));
          squares += (double) x[i] * x[i];
        }
        want[k] = Math.sqrt(squares);
        arrays.add(HostArrays.floats(manager, x, new Shape(dims)));
      }
      float[] got = ForeachNorm.of(arrays);
      assertThat(got).hasSize(shapes.length);
      for (int k = 0; k < shapes.length; k++) {
        assertThat((double) got[k]).as("norm %d", k).isCloseTo(want[k], within(1e-5 * want[k]));
      }

      arrays.set(1, HostArrays.floats(manager, new float[] {1, Float.NaN}, new Shape(2)));
      arrays.set(2, HostArrays.floats(manager, new float[] {Float.POSITIVE_INFINITY, 1}, new Shape(2)));
      float[] bad = ForeachNorm.of(arrays);
      assertThat(bad[1]).isNaN();
      assertThat(bad[2]).isInfinite();
      assertThat((double) bad[0]).isCloseTo(want[0], within(1e-5 * want[0]));
      assertThat(ForeachNorm.of(List.of())).isEmpty();
    }
  }
}
