package io.prenas.data;

/**
 * One batch of model input: {@code x} holds {@code count} images as NCHW floats, {@code y} their labels.
 * A batch can hold fewer images than requested when corrupt files were skipped (see {@link BatchLoader#corrupt()}).
 */
public record Batch(float[] x, long[] y, int count, int channels, int size) {

  /** Shape of {@code x}: {@code (count, channels, size, size)}. */
  public long[] shape() {
    return new long[] {count, channels, size, size};
  }
}
