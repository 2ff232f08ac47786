package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a scalar operand, safe on the autograd path. The engine code calls these instead of DJL's
 * {@code Number} overloads ({@code mul(Number)}, {@code div(Number)}, ...), which {@code LayeringTest} forbids.
 *
 * <p>Why: a {@code Number} overload wraps the scalar in a tensor over a Java direct buffer that libtorch reads
 * without copying ({@code from_blob}), and closes that tensor right after the call. Autograd keeps the scalar for the
 * backward pass ({@code d(x*s)/dx = s}); once a garbage collection has freed the buffer, backward reads freed memory
 * and yields NaN or, worse, finite garbage that corrupts the weights silently (see
 * {@code docs/upstream/djl-scalar-operand-freed-before-backward.md}). Here the scalar is made by libtorch
 * ({@code torch.full}), so its memory belongs to the tensor, which autograd keeps alive as long as it needs it; the
 * handle can be closed at once. Values are the same float32 0-dim tensors DJL made, so results are bit-identical.
 */
public final class Scalars {

  private Scalars() {}

  /** A 0-dim array holding {@code value}, of {@code like}'s type and device, in libtorch-owned memory. */
  public static NDArray of(NDArray like, double value) {
    // DJL reports a bfloat16 array's type as UNKNOWN, which its native calls cannot take (MixedPrecision); a float32
    // 0-dim scalar leaves a bfloat16 operand's type as it is (PyTorch's promotion for 0-dim operands)
    DataType type = like.getDataType() == DataType.UNKNOWN ? DataType.FLOAT32 : like.getDataType();
    NDArray scalar = like.getManager().full(new Shape(), (float) value, type);
    return scalar.getDevice().equals(like.getDevice()) ? scalar : Release.after(scalar.toDevice(like.getDevice(),
        false), scalar);
  }

  /** {@code x * value}. */
  public static NDArray mul(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.mul(s);
    }
  }

  /** {@code x / value}. */
  public static NDArray div(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.div(s);
    }
  }

  /** {@code x + value}. */
  public static NDArray add(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.add(s);
    }
  }

  /** {@code x *= value} in place; returns {@code x}. */
  public static NDArray muli(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.muli(s);
    }
  }

  /** {@code x /= value} in place; returns {@code x}. */
  public static NDArray divi(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.divi(s);
    }
  }

  /** {@code x += value} in place; returns {@code x}. */
  public static NDArray addi(NDArray x, double value) {
    try (NDArray s = of(x, value)) {
      return x.addi(s);
    }
  }
}
