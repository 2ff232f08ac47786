package io.prenas.tensorio.pth;

import io.prenas.tensorio.DType;
import io.prenas.tensorio.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies a tensor view (storage offset, size, stride) out of its storage into a contiguous tensor, converting
 * floating-point types to float32 (float32 itself is copied bit for bit) and keeping integer types as they are.
 */
final class TensorViews {

  private TensorViews() {}

  /** Bytes the contiguous copy of {@code t} takes (float32 for floating-point types), checked for overflow. */
  static long outputBytes(TensorRef t) {
    DType out = isFloat(t.storage().dtype()) ? DType.F32 : t.storage().dtype();
    return Math.multiplyExact(Tensor.numel(t.size()), (long) out.bytes());
  }

  /**
   * @param name the state-dict key, for error messages
   * @param root the whole root storage, little-endian ({@link StorageRef#elementOffset()} is applied here)
   */
  static Tensor materialize(String name, TensorRef t, ByteBuffer root) throws PthException {
    StorageRef storage = t.storage();
    long[] size = t.size();
    long[] stride = t.stride();
    long numel;
    long last = t.offset();
    try {
      numel = Tensor.numel(size);
      for (int d = 0; d < size.length; d++) {
        if (size[d] > 0) {
          last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
        }
      }
    } catch (ArithmeticException e) {
      throw new PthException("tensor '" + name + "' has an impossibly large size or stride");
    }
    if (numel > 0 && last >= storage.numel()) {
      throw new PthException("tensor '" + name + "' (offset " + t.offset() + ", size " + java.util.Arrays.toString(size)
          + ", stride " + java.util.Arrays.toString(stride) + ") reaches element " + last + " of storage '"
          + storage.key() + "', which has " + storage.numel());
    }
    if (numel > Integer.MAX_VALUE / 8) {
      throw new PthException("tensor '" + name + "' has " + numel + " elements, more than this reader supports");
    }
    int es = storage.dtype().bytes();
    ByteBuffer src = root.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.allocate((int) numel * es).order(ByteOrder.LITTLE_ENDIAN);
    long base = storage.elementOffset() + t.offset();
    if (numel == 0) {
      // nothing to copy; an empty tensor may sit at any offset
    } else if (isContiguous(size, stride)) {
      dst.put(dst.position(), src, Math.toIntExact(base * es), (int) numel * es);
    } else {
      gather(src, dst, base, size, stride, es, (int) numel);
    }
    Tensor raw = new Tensor(storage.dtype(), size, dst);
    return isFloat(storage.dtype()) && storage.dtype() != DType.F32 ? Tensor.ofFloats(size, raw.toFloats()) : raw;
  }

  /** Row-major walk over the index space with an odometer of per-dimension counters. */
  private static void gather(ByteBuffer src, ByteBuffer dst, long base, long[] size, long[] stride, int es,
      int numel) {
    int dims = size.length;
    long[] index = new long[dims];
    long element = base;
    byte[] one = new byte[es];
    for (int i = 0; i < numel; i++) {
      src.get(Math.toIntExact(element * es), one);
      dst.put(i * es, one);
      for (int d = dims - 1; d >= 0; d--) {
        if (++index[d] < size[d]) {
          element += stride[d];
          break;
        }
        element -= (size[d] - 1) * stride[d];
        index[d] = 0;
      }
    }
  }

  static boolean isContiguous(long[] size, long[] stride) {
    long expected = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      if (size[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= size[d];
    }
    return true;
  }

  static boolean isFloat(DType dtype) {
    return dtype == DType.F32 || dtype == DType.F16 || dtype == DType.BF16 || dtype == DType.F64;
  }
}
