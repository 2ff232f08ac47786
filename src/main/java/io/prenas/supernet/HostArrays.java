package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Engine arrays made from Java data (images, targets, labels, masks, index tables) whose memory libtorch owns, so
 * that they are freed when closed, like any array the engine computed. All engine code makes arrays from Java data
 * here ({@code LayeringTest} forbids DJL's {@code NDManager.create(float[] | long[] | Buffer ...)} elsewhere).
 *
 * <p>Why: DJL's {@code create(...)} copies the Java data into a fresh direct {@code ByteBuffer} and wraps it without
 * copying ({@code from_blob}); the buffer is freed only when the garbage collector finds it unreachable, not when the
 * array is closed. A training step made a 4.8 MB buffer per batch (8 images at 224 px) and the heap, with little
 * else to collect, went minutes between collections: resident memory grew by 10-30 MB a step (allocator
 * fragmentation around the pinned buffers included) until the next collection, to 7 GB over 200 steps with
 * {@code -Xms1g} (docs/bench/train-step.md). Here the data goes through one staging buffer per thread, reused, and
 * is cloned into libtorch memory at once. It also means autograd can never read a buffer that was freed under it
 * (the hazard of {@link Scalars}): the clone is the tensor autograd keeps.
 */
public final class HostArrays {

  /** Per-thread staging memory, grown to the largest array made on the thread (a batch of images), then reused. */
  private static final ThreadLocal<ByteBuffer> STAGING = ThreadLocal.withInitial(() -> direct(1 << 16));

  private HostArrays() {}

  /** A float32 array of {@code shape} holding {@code values}, on the manager's device. */
  public static NDArray floats(NDManager manager, float[] values, Shape shape) {
    ByteBuffer staging = staging(values.length, Float.BYTES);
    staging.asFloatBuffer().put(values);
    return copyOut(manager, staging, shape, DataType.FLOAT32);
  }

  /** A float64 array of {@code shape} holding {@code values}, on the manager's device. */
  public static NDArray doubles(NDManager manager, double[] values, Shape shape) {
    ByteBuffer staging = staging(values.length, Double.BYTES);
    staging.asDoubleBuffer().put(values);
    return copyOut(manager, staging, shape, DataType.FLOAT64);
  }

  /** An int64 array of {@code shape} holding {@code values}, on the manager's device. */
  public static NDArray longs(NDManager manager, long[] values, Shape shape) {
    ByteBuffer staging = staging(values.length, Long.BYTES);
    staging.asLongBuffer().put(values);
    return copyOut(manager, staging, shape, DataType.INT64);
  }

  private static ByteBuffer staging(int count, int bytesPerValue) {
    long bytes = (long) count * bytesPerValue;
    ByteBuffer buffer = STAGING.get();
    if (buffer.capacity() < bytes) {
      buffer = direct(Math.toIntExact(Math.max(bytes, 2L * buffer.capacity())));
      STAGING.set(buffer);
    }
    return buffer.clear().limit((int) bytes).slice().order(ByteOrder.nativeOrder());
  }

  /** Wraps the staged bytes (no copy), clones them into libtorch memory and drops the wrapper. */
  private static NDArray copyOut(NDManager manager, ByteBuffer staged, Shape shape, DataType type) {
    if (shape.size() * type.getNumOfBytes() != staged.remaining()) {
      throw new IllegalArgumentException("shape " + shape + " does not hold " + staged.remaining() / type
          .getNumOfBytes() + " values");
    }
    try (NDArray view = manager.create(staged, shape, type)) {
      return view.duplicate();
    }
  }

  private static ByteBuffer direct(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }
}
