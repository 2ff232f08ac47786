package io.prenas.cnn.engine;

import io.prenas.cnn.space.CnnSpace;
import io.prenas.supernet.SingleThreadRandom;
import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded initial supernet weights for training. The spec fixes no training init (the fixture's init is a test
 * recipe), so this follows torchvision's MobileNetV2, the network BigNAS builds on: conv weights (stem, expand,
 * depthwise, SE, projection, head) Kaiming-normal with fan_out, {@code N(0, 2 / (out k k / groups... ))} i.e.
 * std {@code sqrt(2 / (shape[0] kh kw))}; conv biases 0; BatchNorm weight 1, bias 0, running mean 0, running
 * variance 1; classifier weight N(0, 0.01^2), bias 0.
 *
 * <p>{@link Random} is used because its algorithm is fixed by the JDK specification: a seed gives the same weights
 * on every JVM and device (PyTorch's generator is not reproduced).
 */
final class CnnInit {

  private static final double CLASSIFIER_STD = 0.01;

  private CnnInit() {}

  static Map<String, Tensor> weights(CnnSpace space, long seed) {
    Random random = new SingleThreadRandom(seed); // Random's sequence, without its atomic seed
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : CnnLayout.shapes(space).entrySet()) {
      String key = e.getKey();
      long[] shape = e.getValue();
      float[] values = new float[Math.toIntExact(Tensor.numel(shape))];
      if (key.equals(CnnLayout.CLASSIFIER + ".weight")) {
        normal(values, CLASSIFIER_STD, random);
      } else if (shape.length == 4) {
        normal(values, Math.sqrt(2.0 / (shape[0] * shape[2] * shape[3])), random);
      } else if (key.endsWith(".bn.weight") || key.endsWith("." + CnnLayout.RUNNING_VAR)) {
        Arrays.fill(values, 1f);
      } // biases and running means stay 0
      out.put(key, Tensor.ofFloats(shape, values));
    }
    return out;
  }

  private static void normal(float[] values, double std, Random random) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
  }
}
