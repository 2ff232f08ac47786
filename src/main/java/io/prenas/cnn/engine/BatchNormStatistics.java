package io.prenas.cnn.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.Scalars;
import io.prenas.tensorio.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The BatchNorm running statistics of a CNN (spec §5, §6): buffers, not parameters. They live beside the
 * {@code ParameterSet} in a manager of their own, record no gradient, and change only in place, on slices:
 * a training pass moves {@code [:c]} towards the batch statistics with the space's momentum, a recalibration resets
 * {@code [:c]} to 0 and 1 and then averages over its batches. Entries past a slice are never touched, so the
 * statistics of other widths (and of skipped slots) survive.
 *
 * <p>Writes are serialised; an evaluation that runs while another thread recalibrates the same architecture reads
 * whatever is there (callers recalibrate, then evaluate).
 */
final class BatchNormStatistics implements AutoCloseable {

  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private BatchNormStatistics(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /** Copies of the statistics named in {@code layout} (already checked) onto the device. */
  static BatchNormStatistics create(Map<String, long[]> layout, Map<String, Tensor> tensors, Device device) {
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (String key : layout.keySet()) {
        NDArray a = NdConvert.toNd(manager, tensors.get(key));
        a.setName(key);
        arrays.put(key, a);
      }
      return new BatchNormStatistics(manager, arrays);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The first {@code width} running means of a BatchNorm ({@code prefix} e.g. {@code stem.bn}), in the step. */
  NDArray mean(String prefix, int width, NDManager step) {
    return slice(prefix, CnnLayout.RUNNING_MEAN, width, step);
  }

  /** The first {@code width} running variances (unbiased, as PyTorch keeps them). */
  NDArray variance(String prefix, int width, NDManager step) {
    return slice(prefix, CnnLayout.RUNNING_VAR, width, step);
  }

  private NDArray slice(String prefix, String stat, int width, NDManager step) {
    return array(prefix, stat).get(step, new NDIndex(":{}", width));
  }

  /** {@code running_mean[:c] = 0}, {@code running_var[:c] = 1} (the start of a recalibration). */
  synchronized void reset(String prefix, int width, NDManager step) {
    try (GradMode ignored = GradMode.disabled()) {
      NDIndex first = new NDIndex(":{}", width);
      NDArray mean = array(prefix, CnnLayout.RUNNING_MEAN);
      NDArray variance = array(prefix, CnnLayout.RUNNING_VAR);
      mean.set(first, step.zeros(new ai.djl.ndarray.types.Shape(width), mean.getDataType(), mean.getDevice()));
      variance.set(first, step.ones(new ai.djl.ndarray.types.Shape(width), variance.getDataType(),
          variance.getDevice()));
    }
  }

  /**
   * {@code stat[:c] = (1 - f) stat[:c] + f batch} for the mean and the unbiased variance of a batch: PyTorch's
   * running update with momentum f (training), or the cumulative average with f = 1/k (recalibration).
   */
  synchronized void update(String prefix, NDArray batchMean, NDArray batchVariance, double factor) {
    try (GradMode ignored = GradMode.disabled()) {
      blend(array(prefix, CnnLayout.RUNNING_MEAN), batchMean.stopGradient(), factor);
      blend(array(prefix, CnnLayout.RUNNING_VAR), batchVariance.stopGradient(), factor);
    }
  }

  private static void blend(NDArray running, NDArray batch, double factor) {
    NDIndex first = new NDIndex(":{}", batch.getShape().get(0));
    NDManager step = batch.getManager();
    NDArray old = running.get(step, first);
    // PyTorch's order: momentum * batch + (1 - momentum) * running
    running.set(first, Scalars.mul(batch, factor).add(Scalars.mul(old, 1 - factor)));
  }

  private NDArray array(String prefix, String stat) {
    return get(prefix + "." + stat);
  }

  /** One statistic by its full name ({@code stem.bn.running_var}). */
  NDArray get(String key) {
    NDArray a = arrays.get(key);
    if (a == null) {
      throw new IllegalStateException("no BatchNorm statistic " + key);
    }
    return a;
  }

  /** Copies of the current values, by name, in layout order. */
  synchronized Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, NdConvert.toTensor(v)));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
