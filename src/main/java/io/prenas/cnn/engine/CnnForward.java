package io.prenas.cnn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.prenas.cnn.space.Activation;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.HostArrays;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.Release;
import io.prenas.supernet.Scalars;
import io.prenas.supernet.Views;
import java.util.Random;
import java.util.function.Function;

/**
 * The forward pass of one CNN network (spec §5): stem, MBConv layers (expand, depthwise, SE, projection, residual),
 * head conv, pooling, dropout, classifier. Every weight is read as a slice of a stored tensor: its leading channels
 * on every channel axis, and the centre k x k of a stored K x K kernel. On the supernet's tensors that is BigNAS
 * weight sharing; on a standalone model's tensors (already cut to the architecture) every slice is the whole tensor,
 * so a subnet and its export run the same code.
 *
 * <p>Slices are views made in the step's manager, so autograd reaches the stored tensors and nothing is copied.
 */
final class CnnForward {

  private static final int[] BATCH_AND_SPACE = {0, 2, 3};
  private static final int[] SPACE = {2, 3};

  private final CnnPlan plan;
  private final Function<String, NDArray> weights;
  private final BatchNormStatistics statistics;
  private final BatchNormMode norm;
  private final ForwardMode mode;
  private final NDManager step;

  private CnnForward(CnnPlan plan, Function<String, NDArray> weights, BatchNormStatistics statistics,
      BatchNormMode norm, ForwardMode mode, NDManager step) {
    this.plan = plan;
    this.weights = weights;
    this.statistics = statistics;
    this.norm = norm;
    this.mode = mode;
    this.step = step;
  }

  /**
   * Logits (B, classes) of the plan's network on {@code images} (B, C, r, r), arrays of the images' manager.
   *
   * @param weights the stored tensors by name (full supernet tensors or a standalone model's)
   * @param mode training or evaluation: only dropout reads it; BatchNorm follows {@code norm}
   */
  static NDArray logits(CnnPlan plan, Function<String, NDArray> weights, BatchNormStatistics statistics,
      BatchNormMode norm, ForwardMode mode, NDArray images) {
    return new CnnForward(plan, weights, statistics, norm, mode, images.getManager()).run(images);
  }

  private NDArray run(NDArray x) {
    int c0 = plan.stemWidth();
    NDArray w = slice(CnnLayout.STEM + ".conv.weight", c0, plan.model().inChans());
    NDArray y = act(batchNorm(conv(x, w, null, plan.stemStride(), plan.stemKernel() / 2, 1),
        CnnLayout.STEM + ".bn", c0));
    for (CnnPlan.Layer layer : plan.layers()) {
      y = block(y, layer);
    }
    int h = plan.headWidth();
    NDArray head = conv(y, slice(CnnLayout.HEAD + ".conv.weight", h, plan.lastWidth()), null, 1, 0, 1);
    NDArray pooled = spatialMean(act(batchNorm(head, CnnLayout.HEAD + ".bn", h)), false);
    pooled = dropout(pooled);
    NDArray classifierWeight = slice(CnnLayout.CLASSIFIER + ".weight", plan.model().numClasses(), h);
    NDArray classifierBias = whole(CnnLayout.CLASSIFIER + ".bias");
    return Linear.linear(pooled, classifierWeight, classifierBias).singletonOrThrow();
  }

  private NDArray block(NDArray input, CnnPlan.Layer l) {
    String p = l.prefix();
    int hid = l.hidden();
    NDArray h = input;
    if (l.hasExpand()) {
      h = act(batchNorm(conv(h, slice(p + ".expand.conv.weight", hid, l.in()), null, 1, 0, 1), p + ".expand.bn",
          hid));
    }
    NDArray depthwise = centreKernel(p + ".depthwise.conv.weight", hid, l.kernel());
    h = act(batchNorm(conv(h, depthwise, null, l.stride(), l.kernel() / 2, hid), p + ".depthwise.bn", hid));
    if (plan.model().se()) {
      h = squeezeExcite(h, p, hid, l.se());
    }
    h = batchNorm(conv(h, slice(p + ".project.conv.weight", l.out(), hid), null, 1, 0, 1), p + ".project.bn",
        l.out());
    return l.residual() ? h.add(input) : h;
  }

  /** SE on the depthwise output: pool, reduce to e with the activation, expand to hid, plain sigmoid gate. */
  private NDArray squeezeExcite(NDArray h, String p, int hid, int e) {
    NDArray z = spatialMean(h, true);
    z = act(conv(z, slice(p + ".se.reduce.weight", e, hid), slice(p + ".se.reduce.bias", e), 1, 0, 1));
    z = conv(z, slice(p + ".se.expand.weight", hid, e), slice(p + ".se.expand.bias", hid), 1, 0, 1);
    return h.mul(ai.djl.nn.Activation.sigmoid(z));
  }

  private static NDArray conv(NDArray x, NDArray w, NDArray bias, int stride, int padding, int groups) {
    return Conv2d.conv2d(x, w, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), groups)
        .singletonOrThrow();
  }

  /**
   * BatchNorm over channels {@code [:c]}: with the stored statistics, or with the batch's mean and biased variance
   * over (N, H, W), then (when the mode says so) the running slices move towards the batch's mean and unbiased
   * variance.
   */
  private NDArray batchNorm(NDArray x, String prefix, int c) {
    NDArray gamma = slice(prefix + ".weight", c).reshape(1, c, 1, 1);
    NDArray beta = slice(prefix + ".bias", c).reshape(1, c, 1, 1);
    double eps = plan.model().bnEps();
    if (!norm.batchStatistics()) {
      NDArray mean = statistics.mean(prefix, c, step).reshape(1, c, 1, 1);
      NDArray std = Scalars.add(statistics.variance(prefix, c, step), eps).sqrt().reshape(1, c, 1, 1);
      return x.sub(mean).div(std).mul(gamma).add(beta);
    }
    Shape s = x.getShape();
    long n = s.get(0) * s.get(2) * s.get(3);
    NDArray mean = Scalars.div(x.sum(BATCH_AND_SPACE), n); // the engine's mean takes one axis only
    NDArray centred = x.sub(mean.reshape(1, c, 1, 1));
    NDArray squares = centred.square().sum(BATCH_AND_SPACE);
    if (norm.updates()) {
      if (n < 2) {
        throw new IllegalArgumentException("BatchNorm " + prefix + " sees " + n + " value(s) per channel; updating "
            + "its statistics needs at least 2 (a larger batch or resolution)");
      }
      statistics.update(prefix, mean, Scalars.div(squares, n - 1), norm.updateFactor());
    }
    NDArray std = Scalars.add(Scalars.div(squares, n), eps).sqrt().reshape(1, c, 1, 1);
    return centred.div(std).mul(gamma).add(beta);
  }

  /** Mean over H and W (the engine's {@code mean} takes one axis only). */
  private static NDArray spatialMean(NDArray x, boolean keepDims) {
    Shape s = x.getShape();
    return Scalars.div(x.sum(SPACE, keepDims), s.get(2) * s.get(3));
  }

  private NDArray act(NDArray x) {
    if (plan.model().activation() == Activation.RELU6) {
      return x.maximum(Scalars.of(x, 0)).minimum(Scalars.of(x, 6));
    }
    return x.mul(ai.djl.nn.Activation.sigmoid(x));
  }

  /** Inverted dropout with the space's rate, in training passes that ask for it; masks drawn from the mode's seed. */
  private NDArray dropout(NDArray pooled) {
    double rate = plan.model().dropout();
    if (!mode.training() || !mode.dropout() || rate == 0) {
      return pooled;
    }
    Random random = mode.random();
    int size = Math.toIntExact(pooled.size());
    float keep = (float) (1 / (1 - rate));
    float[] mask = new float[size];
    for (int i = 0; i < size; i++) {
      mask[i] = random.nextDouble() < rate ? 0f : keep;
    }
    NDArray m = HostArrays.floats(step, mask, pooled.getShape());
    return pooled.mul(m.toDevice(pooled.getDevice(), false));
  }

  /** The first {@code dims[i]} entries of each leading axis of a stored tensor ({@link Views#leading}). */
  private NDArray slice(String key, long... dims) {
    return Views.leading(weights.apply(key), step, 0, dims);
  }

  private NDArray whole(String key) {
    return ParameterSet.whole(weights.apply(key), step);
  }

  /** A depthwise weight (c, 1, K, K) cut to its first c channels and its centre k x k (no kernel transform). */
  private NDArray centreKernel(String key, int c, int k) {
    NDArray channels = Views.leading(weights.apply(key), step, 0, c);
    long stored = channels.getShape().get(2);
    if (stored == k) {
      return channels;
    }
    long o = (stored - k) / 2;
    NDArray rows = Release.after(Views.narrow(channels, 2, o, o + k), channels);
    return Release.after(Views.narrow(rows, 3, o, o + k), rows);
  }
}
