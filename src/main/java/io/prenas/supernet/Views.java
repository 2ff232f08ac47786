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

  /**
   * {@code full} cut to its first {@code extents[i]} entries along dimension {@code first + i}, owned by
   * {@code owner}: one slice per dimension it shortens and none for the others, the whole array as a view
   * ({@link ParameterSet#whole}) when nothing is cut. The supernet weight views of both families (a dimension at its
   * largest choice, all of them in a max architecture, is not sliced).
   */
  public static NDArray leading(NDArray full, NDManager owner, int first, long... extents) {
    NDArray view = null;
    for (int d = 0; d < extents.length; d++) {
      if (extents[d] != full.getShape().get(first + d)) {
        NDArray next = narrow(view == null ? full : view, owner, first + d, 0, extents[d]);
        view = view == null ? next : Release.after(next, view);
      }
    }
    return view == null ? ParameterSet.whole(full, owner) : view;
  }

  /** As {@link #narrow(NDArray, int, long, long)}, the view owned by {@code owner}. */
  public static NDArray narrow(NDArray x, NDManager owner, int axis, long start, long end) {
    NDArray view = narrow(x, axis, start, end);
    view.attach(owner);
    return view;
  }
}
