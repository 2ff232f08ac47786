package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * One architecture's weights copied out of a supernet into leaf arrays of their own ({@link Supernet#pin}), for many
 * recorded passes over that one architecture: the gradient pass's micro-batches.
 *
 * <p>Why: through the supernet, every pass slices the weights again, and the gradient of each slice is an array of
 * the supernet tensor's size, zero-filled, with the slice's gradient copied in, then added to the tensor's gradient.
 * On Tiny (max width 240 of the supernet's 256) at batch 64 in micro-batches of 4 that was about 4 % of the pass.
 * Pinned, the micro-batches' gradients add up in subnet-sized leaves, and {@link #gradientsToSupernet} takes their
 * total through the slices once. The numbers are the same: a slice's gradient is a copy, so padding each
 * micro-batch's gradient and adding, or adding and padding the total, sums the same floats in the same order.
 */
public interface PinnedArchitecture {

  /** The leaf arrays the passes record into (give them to {@link Autograd#backward}). */
  Collection<NDArray> leaves();

  /** Logits of the pinned architecture, as {@link Supernet#forward} on the leaves, in {@code images}' manager. */
  NDArray forward(NDArray images, ForwardMode mode);

  /**
   * Sets the supernet's gradients to what the recorded passes would have left there had they run on the supernet:
   * the leaves' gradients in the tensors' slices, zeros elsewhere. Records one pass of its own ({@link Autograd}).
   */
  void gradientsToSupernet();
}
