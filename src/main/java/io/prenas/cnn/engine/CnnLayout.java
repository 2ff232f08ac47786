package io.prenas.cnn.engine;

import io.prenas.cnn.space.CnnSpace;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tensor names and shapes of a CNN network (spec §4), in state_dict order, which is also the file order of every
 * weights file. A BatchNorm has four tensors: weight and bias (parameters) and running_mean and running_var
 * (buffers: statistics, never trained, not in gradient files). PyTorch's {@code num_batches_tracked} is never
 * written and is dropped when read.
 */
public final class CnnLayout {

  static final String STEM = "stem";
  static final String HEAD = "head";
  static final String CLASSIFIER = "classifier";
  static final String RUNNING_MEAN = "running_mean";
  static final String RUNNING_VAR = "running_var";
  private static final String NUM_BATCHES_TRACKED = ".num_batches_tracked";

  private CnnLayout() {}

  /** Every supernet tensor (parameters and running statistics) of a space, at its maximum shape. */
  public static Map<String, long[]> shapes(CnnSpace space) {
    return shapes(CnnPlan.supernet(space));
  }

  /**
   * Every tensor of a network plan: for the supernet its maximum shapes, for an architecture the standalone
   * model's (its slots only, each tensor cut to its slice).
   */
  static Map<String, long[]> shapes(CnnPlan plan) {
    Map<String, long[]> out = new LinkedHashMap<>();
    int in = plan.model().inChans();
    out.put(STEM + ".conv.weight", new long[] {plan.stemWidth(), in, plan.stemKernel(), plan.stemKernel()});
    batchNorm(out, STEM + ".bn", plan.stemWidth());
    for (CnnPlan.Layer l : plan.layers()) {
      String p = l.prefix();
      if (l.hasExpand()) {
        out.put(p + ".expand.conv.weight", new long[] {l.hidden(), l.in(), 1, 1});
        batchNorm(out, p + ".expand.bn", l.hidden());
      }
      out.put(p + ".depthwise.conv.weight", new long[] {l.hidden(), 1, l.kernel(), l.kernel()});
      batchNorm(out, p + ".depthwise.bn", l.hidden());
      if (plan.model().se()) {
        out.put(p + ".se.reduce.weight", new long[] {l.se(), l.hidden(), 1, 1});
        out.put(p + ".se.reduce.bias", new long[] {l.se()});
        out.put(p + ".se.expand.weight", new long[] {l.hidden(), l.se(), 1, 1});
        out.put(p + ".se.expand.bias", new long[] {l.hidden()});
      }
      out.put(p + ".project.conv.weight", new long[] {l.out(), l.hidden(), 1, 1});
      batchNorm(out, p + ".project.bn", l.out());
    }
    out.put(HEAD + ".conv.weight", new long[] {plan.headWidth(), plan.lastWidth(), 1, 1});
    batchNorm(out, HEAD + ".bn", plan.headWidth());
    out.put(CLASSIFIER + ".weight", new long[] {plan.model().numClasses(), plan.headWidth()});
    out.put(CLASSIFIER + ".bias", new long[] {plan.model().numClasses()});
    return Collections.unmodifiableMap(out);
  }

  private static void batchNorm(Map<String, long[]> out, String prefix, long width) {
    out.put(prefix + ".weight", new long[] {width});
    out.put(prefix + ".bias", new long[] {width});
    out.put(prefix + "." + RUNNING_MEAN, new long[] {width});
    out.put(prefix + "." + RUNNING_VAR, new long[] {width});
  }

  /** True for a BatchNorm running statistic (a buffer, not a parameter). */
  static boolean isStatistic(String key) {
    return key.endsWith("." + RUNNING_MEAN) || key.endsWith("." + RUNNING_VAR);
  }

  /** The trainable tensors of a layout, in its order. */
  static Map<String, long[]> parameters(Map<String, long[]> layout) {
    return filter(layout, false);
  }

  /** The running statistics of a layout, in its order. */
  static Map<String, long[]> statistics(Map<String, long[]> layout) {
    return filter(layout, true);
  }

  private static Map<String, long[]> filter(Map<String, long[]> layout, boolean statistics) {
    Map<String, long[]> out = new LinkedHashMap<>();
    layout.forEach((k, v) -> {
      if (isStatistic(k) == statistics) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The tensors without PyTorch's {@code *.num_batches_tracked} counters, which this format does not keep. */
  static Map<String, Tensor> withoutBatchCounters(Map<String, Tensor> tensors) {
    if (tensors.keySet().stream().noneMatch(k -> k.endsWith(NUM_BATCHES_TRACKED))) {
      return tensors;
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> {
      if (!k.endsWith(NUM_BATCHES_TRACKED)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * Checks a supernet weights file (upload, import, checkpoint) against the space's layout: all parameters and
   * running statistics, nothing else (a {@code num_batches_tracked} counter is ignored).
   *
   * @throws WeightsException naming the first missing, unknown, mis-shaped or non-float tensor
   */
  public static void check(CnnSpace space, Map<String, Tensor> tensors) {
    ParameterSet.checkLayout(shapes(space), withoutBatchCounters(tensors));
  }

  /** Number of values of a layout. */
  static long count(Map<String, long[]> layout) {
    long n = 0;
    for (long[] shape : layout.values()) {
      n += Tensor.numel(shape);
    }
    return n;
  }
}
