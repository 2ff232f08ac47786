package io.prenas.vit.engine;

import io.prenas.supernet.SingleThreadRandom;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitSpace;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded initial supernet weights that follow the reference's init rules (spec 2.2): every Linear weight (qkv,
 * proj, fc1, fc2, head), pos_embed, cls_token and the relative-position tables are truncated normal (std 0.02, cut
 * at +-2 absolute); Linear biases 0; LayerNorm 1 and 0; the patch convolution keeps PyTorch's default init
 * (kaiming-uniform with a = sqrt(5), i.e. U(+-1/sqrt(fan_in)), for weight and bias alike).
 *
 * <p>The distributions match the reference, the values cannot (PyTorch's generator is not reproduced): for
 * bit-exact reference weights load its file. {@link Random} is used because its algorithm is fixed by the JDK
 * specification, so a seed gives the same weights on every JVM and device ({@link SingleThreadRandom} draws that
 * sequence faster).
 */
final class ReferenceInit {

  private static final double STD = 0.02;
  private static final double CUT = 2.0;

  private ReferenceInit() {}

  static Map<String, Tensor> weights(VitSpace space, long seed) {
    Random random = new SingleThreadRandom(seed); // Random's sequence, without its atomic seed
    Map<String, Tensor> out = new LinkedHashMap<>();
    double patchBound = 1.0 / Math.sqrt(space.model().patchInputSize());
    for (Map.Entry<String, long[]> e : SupernetLayout.shapes(space).entrySet()) {
      String key = e.getKey();
      long[] shape = e.getValue();
      float[] values = new float[Math.toIntExact(Tensor.numel(shape))];
      if (key.startsWith("patch_embed_super.")) {
        uniform(values, patchBound, random);
      } else if (key.endsWith("layer_norm.weight") || key.equals(SupernetLayout.NORM_WEIGHT)) {
        Arrays.fill(values, 1f);
      } else if (!key.endsWith(".bias")) {
        truncatedNormal(values, random);
      }
      out.put(key, Tensor.ofFloats(shape, values));
    }
    return out;
  }

  private static void uniform(float[] values, double bound, Random random) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
  }

  private static void truncatedNormal(float[] values, Random random) {
    for (int i = 0; i < values.length; i++) {
      double v;
      do {
        v = random.nextGaussian() * STD;
      } while (Math.abs(v) > CUT); // redraw, as a truncated normal does (never happens at 100 sigma)
      values[i] = (float) v;
    }
  }
}
