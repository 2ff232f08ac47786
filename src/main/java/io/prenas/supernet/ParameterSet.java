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
import java.util.Set;

/**
 * Named float32 parameters in a fixed key order, owned by one long-lived manager, each recording gradients. The
 * supernet and the standalone model both keep their weights in one; nothing else is ever attached to its manager
 * (forward passes take views into their own per-step manager).
 */
public final class ParameterSet implements AutoCloseable {

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
  public static ParameterSet create(Map<String, long[]> expected, Map<String, Tensor> tensors, Device device) {
    checkLayout(expected, tensors);
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

  /**
   * A view of a whole array that belongs to the step's manager and stays on the autograd path, so a pass can use a
   * parameter without the manager of the parameters owning the pass's arrays. A same-shape reshape, not an
   * {@code NDIndex} read: DJL turns {@code "..."} into a full-range slice per dimension, and the gradient of each
   * slice is a zero-filled array of the parameter's size with the gradient copied in; a view's gradient is the
   * gradient itself.
   */
  public static NDArray whole(NDArray full, NDManager step) {
    NDArray view = full.reshape(full.getShape());
    view.attach(step);
    return view;
  }

  public NDArray get(String key) {
    NDArray a = arrays.get(key);
    if (a == null) {
      throw new IllegalStateException("no parameter " + key);
    }
    return a;
  }

  /** Parameters in key order. */
  public Map<String, NDArray> arrays() {
    return arrays;
  }

  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Copies of the current values as float32 tensors, in key order. */
  public Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, NdConvert.toTensor(v)));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }

  private static final Set<DType> FLOATS = Set.of(DType.F32, DType.F16, DType.BF16, DType.F64);

  /**
   * Checks tensors against expected names and shapes: every expected name present with its exact shape and a
   * floating-point dtype, and no other tensor. The one layout check of weights, for supernets and standalone models.
   *
   * @throws WeightsException naming the first tensor at fault
   */
  public static void checkLayout(Map<String, long[]> expected, Map<String, Tensor> tensors) {
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      Tensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new WeightsException(e.getKey(), "missing (expected shape " + Arrays.toString(e.getValue()) + "; "
            + tensors.size() + " tensors in the file, " + expected.size() + " expected)");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new WeightsException(e.getKey(), "has shape " + t.shapeString() + ", expected "
            + Arrays.toString(e.getValue()));
      }
      if (!FLOATS.contains(t.dtype())) {
        throw new WeightsException(e.getKey(), "has dtype " + t.dtype() + ", expected a floating-point type");
      }
    }
    for (String key : tensors.keySet()) {
      if (!expected.containsKey(key)) {
        throw new WeightsException(key, "unknown key (not a tensor of this model)");
      }
    }
  }

}
