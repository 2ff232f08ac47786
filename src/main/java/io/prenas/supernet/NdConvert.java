package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.prenas.tensorio.Tensor;

/** Copies between plain {@link Tensor}s (the package boundary) and engine arrays (float32 inside). */
public final class NdConvert {

  private NdConvert() {}

  /** A float32 array on the manager's device; F16, BF16 and F64 inputs are converted. */
  public static NDArray toNd(NDManager manager, Tensor tensor) {
    float[] values = tensor.toFloats();
    return HostArrays.floats(manager, values, new Shape(tensor.shape()));
  }

  /** A class-index vector (int64) from an integer tensor. */
  public static NDArray labelsToNd(NDManager manager, Tensor labels) {
    return HostArrays.longs(manager, labels.toLongs(), new Shape(labels.shape()));
  }

  /** A float32 tensor holding a copy of the array's values (brought to the CPU). */
  public static Tensor toTensor(NDArray array) {
    NDArray f32 = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    return Tensor.ofFloats(array.getShape().getShape(), f32.toFloatArray());
  }
}
