package io.prenas.supernet;

import ai.djl.ndarray.NDArray;

/**
 * Frees intermediate arrays as soon as the forward pass no longer needs them. A DJL array lives until its manager
 * closes, i.e. until the end of the step, while PyTorch frees a Python temporary at once; without this, every
 * intermediate of a step stays resident (several GB for a ViT at batch 64). Closing a handle only drops our
 * reference: tensors that autograd saved for the backward pass keep theirs, and views keep their storage alive.
 *
 * <p>Only release arrays the engine computed. Arrays created from Java data ({@code manager.create(...)}) may wrap
 * Java-owned memory that closing frees while the autograd graph still points at it.
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
