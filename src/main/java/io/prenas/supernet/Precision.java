package io.prenas.supernet;

import java.util.Locale;

/**
 * Number format of a forward pass. {@link #FP32} computes everything in float32 (the reference's numbers, bit for
 * bit as before this option existed). {@link #BF16} is mixed precision: the weights, their gradients and the
 * optimiser state stay float32 (the master copy), while the matrix products (linear layers, the patch convolution,
 * attention's {@code QK^T} and {@code AV}) run on bfloat16 copies made during the forward pass, on CPU and GPU
 * alike; softmax, LayerNorm, the relative-position terms and the loss stay float32. See {@link MixedPrecision}.
 */
public enum Precision {
  FP32,
  BF16;

  /** The name on the command line and in job options: {@code fp32} or {@code bf16}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code fp32} or {@code bf16} (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Precision parse(String text) {
    for (Precision p : values()) {
      if (p.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision must be fp32 or bf16, got '" + text + "'");
  }
}
