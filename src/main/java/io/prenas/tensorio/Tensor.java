package io.prenas.tensorio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor as stored in a safetensors file: dtype, shape and little-endian raw bytes. Plain Java, so that
 * pure code (selector scoring, exports, HTTP validation) can read tensors without a tensor engine.
 */
public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

  public Tensor {
    shape = shape.clone();
    data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long expected = numel(shape) * dtype.bytes();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("data has " + data.remaining() + " bytes, shape " + Arrays.toString(shape)
          + " of " + dtype + " needs " + expected);
    }
  }

  /** A float32 tensor copied from an array. */
  public static Tensor ofFloats(long[] shape, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return new Tensor(DType.F32, shape, buf);
  }

  /** An int64 tensor copied from an array. */
  public static Tensor ofLongs(long[] shape, long[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    return new Tensor(DType.I64, shape, buf);
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long numel() {
    return numel(shape);
  }

  public long byteSize() {
    return data.remaining();
  }

  /** Values as float32; F64, F16 and BF16 are converted, integer types are refused. */
  public float[] toFloats() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < n; i++) out[i] = (float) b.getDouble();
      }
      case F16 -> {
        for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort());
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
      }
      default -> throw new IllegalStateException("tensor of " + dtype + " is not floating point");
    }
    return out;
  }

  /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal or zero
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Values as int64; integer dtypes only. */
  public long[] toLongs() {
    int n = Math.toIntExact(numel());
    long[] out = new long[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out[i] = switch (dtype) {
        case I64 -> b.getLong();
        case I32 -> b.getInt();
        case I16 -> b.getShort();
        case I8 -> b.get();
        case U8, BOOL -> b.get() & 0xff;
        default -> throw new IllegalStateException("tensor of " + dtype + " is not an integer type");
      };
    }
    return out;
  }

  /** Shape as a readable string, e.g. {@code [384, 128]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype + " " + shapeString() + "]";
  }
}
