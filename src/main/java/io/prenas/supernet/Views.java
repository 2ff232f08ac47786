package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Slices on the autograd path that cut only the dimension they name.
 *
 * <p>Why not {@code NDArray.get(NDIndex)}: DJL slices every dimension an index lists, the full-range ones too
 * ({@code ":, 1:, :"} is three torch slices, {@code "..."} one), and the gradient of each slice is an array of the
 * input's size, zero-filled, with the incoming gradient copied in. A training step of the Tiny max architecture had
 * 614 slice gradients, 326 of them for slices that cut nothing ({@code docs/bench/train-step.md}).
 */
public final class Views {

  private Views() {}

  /** {@code x} from {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}, in x's manager. */
  public static NDArray narrow(NDArray x, int axis, long start, long end) {
    long size = x.getShape().get(axis);
    if (start < 0 || end > size || start > end) {
      throw new IllegalArgumentException("range " + start + ":" + end + " outside axis " + axis + " of "
          + x.getShape());
    }
    return JniUtils.slice((PtNDArray) x, axis, start, end, 1);
  }

  /** As {@link #narrow(NDArray, int, long, long)}, the view owned by {@code owner}. */
  public static NDArray narrow(NDArray x, NDManager owner, int axis, long start, long end) {
    NDArray view = narrow(x, axis, start, end);
    view.attach(owner);
    return view;
  }
}
