package io.prenas.supernet;

import ai.djl.ndarray.NDArray;

/**
 * Frees intermediate arrays as soon as the forward pass no longer needs them. A DJL array lives until its manager
 * closes, i.e. until the end of the step, while PyTorch frees a Python temporary at once; without this, every
 * intermediate of a step stays resident (several GB for a ViT at batch 64). Closing a handle only drops our
 * reference: tensors that autograd saved for the backward pass keep theirs, and views keep their storage alive.
 *
 * <p>Arrays made from Java data come from {@link HostArrays}, in libtorch memory, so they can be released like the
 * rest (DJL's own {@code manager.create(...)} wraps Java-owned memory that autograd may still read after the handle
 * is gone; {@code LayeringTest} keeps it out of the code).
 */
public final class Release {

  private Release() {}

  /** Returns {@code result} after closing the {@code spent} arrays (never the result itself). */
  public static NDArray after(NDArray result, NDArray... spent) {
    for (NDArray a : spent) {
      if (a != null && a != result) {
        a.close();
      }
    }
    return result;
  }
}
