package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stochastic depth as timm's {@code drop_path}: each sample keeps its residual branch with probability
 * {@code keep = 1 - rate}, kept branches are scaled by {@code 1 / keep}. Identity when the rate is 0.
 *
 * <p>Two forms. {@link #apply} scales a branch already computed for every sample, as timm does. {@link #residual}
 * draws the samples first and computes the branch for the kept ones only: a dropped sample's branch is multiplied by
 * zero, so its forward and its backward (an all-zero gradient) change nothing but cost as much as a kept one's. At the
 * reference's rates (linearly 0 to 0.1 over the blocks) that is one branch in twenty of a training step or a gradient
 * pass. The draws are the same, in the same order.
 */
public final class DropPath {

  private DropPath() {}

  /**
   * {@code x + DropPath(branch(x))} with the branch computed only for the samples that keep it. {@code branch} must not
   * close its input; the result is a new array (x is the caller's). Equal to {@code x.add(apply(branch(x), ...))}: the
   * same draws from {@code mode.random()}, the kept rows to the rounding of the branch at a smaller batch, the dropped
   * rows {@code x} itself.
   */
  public static NDArray residual(NDArray x, double rate, ForwardMode mode, UnaryOperator<NDArray> branch) {
    if (rate == 0 || !mode.training()) {
      NDArray out = branch.apply(x);
      return Release.after(x.add(out), out);
    }
    double keep = 1 - rate;
    boolean[] kept = draw(Math.toIntExact(x.getShape().get(0)), keep, mode);
    List<Run> runs = Run.of(kept);
    long keptCount = runs.stream().filter(Run::kept).mapToLong(Run::length).sum();
    if (keptCount == 0) {
      return x.reshape(x.getShape()); // every sample dropped: the block passes x on (a new handle, a view)
    }
    if (keptCount == kept.length) { // the whole batch, without a slice (a slice's backward copies into zeros)
      NDArray out = branch.apply(x);
      NDArray scaled = Release.after(Scalars.div(out, (float) keep), out);
      return Release.after(x.add(scaled), scaled);
    }
    NDArray keptRows = concatenate(runs.stream().filter(Run::kept).map(r -> Views.narrow(x, 0, r.start(), r.end()))
        .toList());
    NDArray out = Release.after(branch.apply(keptRows), keptRows);
    NDArray scaled = Release.after(Scalars.div(out, (float) keep), out);
    // back to the batch: the kept rows' slices of the scaled branch between zero rows for the dropped samples, then one
    // add, so x's gradient passes through whole (slicing x instead would make a zero-filled copy per slice backward)
    List<NDArray> pieces = new ArrayList<>();
    long at = 0;
    for (Run r : runs) {
      if (r.kept()) {
        pieces.add(Views.narrow(scaled, 0, at, at + r.length()));
        at += r.length();
      } else {
        pieces.add(zeroRows(x, r.length()));
      }
    }
    NDArray full = Release.after(concatenate(pieces), scaled);
    return Release.after(x.add(full), full);
  }

  /** Samples [start, end) that all keep their branch, or all drop it. */
  private record Run(long start, long end, boolean kept) {

    long length() {
      return end - start;
    }

    /** The maximal runs of equal draws, in sample order. */
    static List<Run> of(boolean[] kept) {
      List<Run> runs = new ArrayList<>();
      int start = 0;
      for (int i = 1; i <= kept.length; i++) {
        if (i == kept.length || kept[i] != kept[start]) {
          runs.add(new Run(start, i, kept[start]));
          start = i;
        }
      }
      return runs;
    }
  }

  /** One draw per sample, in sample order, as timm's mask {@code floor(keep + U[0, 1))}: true where it is kept. */
  private static boolean[] draw(int batch, double keep, ForwardMode mode) {
    boolean[] kept = new boolean[batch];
    for (int i = 0; i < batch; i++) {
      kept[i] = Math.floor(keep + mode.random().nextDouble()) >= 1;
    }
    return kept;
  }

  private static NDArray zeroRows(NDArray like, long rows) {
    long[] dims = like.getShape().getShape();
    dims[0] = rows;
    return like.getManager().zeros(new Shape(dims), like.getDataType(), like.getDevice());
  }

  /** The pieces along axis 0 (the piece itself when there is one); every piece is released. */
  private static NDArray concatenate(List<NDArray> pieces) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    NDArray joined = NDArrays.concat(new NDList(pieces), 0);
    pieces.forEach(NDArray::close);
    return joined;
  }

  /**
   * timm's form: {@code branch} already computed for every sample, scaled by {@code 1 / keep} or zeroed per sample.
   * The blocks use {@link #residual}; this dense form stays as the oracle it is tested against (and is itself tested
   * against timm's formula to the bit).
   */
  public static NDArray apply(NDArray branch, double rate, ForwardMode mode) {
    if (rate == 0 || !mode.training()) {
      return branch;
    }
    double keep = 1 - rate;
    int batch = Math.toIntExact(branch.getShape().get(0));
    boolean[] kept = draw(batch, keep, mode);
    // timm computes (x / keep) * mask, two passes over the branch. One division gives the same bits: x / keep for a
    // kept sample, and x / inf = +-0 (the sign of x, as x * 0) for a dropped one; so does its gradient, g / keep or +-0.
    float[] divisor = new float[batch];
    boolean allKept = true;
    for (int i = 0; i < batch; i++) {
      divisor[i] = kept[i] ? (float) keep : Float.POSITIVE_INFINITY;
      allKept &= kept[i];
    }
    if (allKept) {
      return Scalars.div(branch, (float) keep);
    }
    long[] perSample = new long[branch.getShape().dimension()];
    Arrays.fill(perSample, 1);
    perSample[0] = batch;
    NDArray onHost = HostArrays.floats(branch.getManager(), divisor, new Shape(perSample));
    NDArray onDevice = onHost.toDevice(branch.getDevice(), false);
    // autograd keeps its own reference to the divisor (libtorch memory) for backward: our handles can go
    return Release.after(branch.div(onDevice), onDevice, onDevice == onHost ? null : onHost);
  }
}
