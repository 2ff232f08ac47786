package io.prenas.supernet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.tensorio.DType;
import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float32 parameters in a fixed key order, owned by one long-lived manager, each recording gradients. The
 * supernet and the standalone model both keep their weights in one; nothing else is ever attached to its manager
 * (forward passes take views into their own per-step manager).
 */
final class ParameterSet implements AutoCloseable {

  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private ParameterSet(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /**
   * Copies tensors onto the device after checking them against the expected keys and shapes.
   *
   * @throws WeightsException naming the first missing, unknown, non-float or mis-shaped tensor
   */
  static ParameterSet create(Map<String, long[]> expected, Map<String, Tensor> tensors, Device device) {
    SupernetLayout.check(expected, tensors);
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (String key : expected.keySet()) {
        NDArray array = NdConvert.toNd(manager, tensors.get(key));
        array.setName(key);
        array.setRequiresGradient(true);
        arrays.put(key, array);
      }
      return new ParameterSet(manager, arrays);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  NDArray get(String key) {
    NDArray a = arrays.get(key);
    if (a == null) {
      throw new IllegalStateException("no parameter " + key);
    }
    return a;
  }

  /** Parameters in key order. */
  Map<String, NDArray> arrays() {
    return arrays;
  }

  NDManager manager() {
    return manager;
  }

  Device device() {
    return manager.getDevice();
  }

  /** Copies of the current values as float32 tensors, in key order. */
  Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, NdConvert.toTensor(v)));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
