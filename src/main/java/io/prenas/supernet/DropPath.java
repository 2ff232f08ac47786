package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Stochastic depth as timm's {@code drop_path}: each sample keeps its residual branch with probability
 * {@code keep = 1 - rate}, kept branches are scaled by {@code 1 / keep}. Identity when the rate is 0.
 */
public final class DropPath {

  private DropPath() {}

  public static NDArray apply(NDArray branch, double rate, ForwardMode mode) {
    if (rate == 0 || !mode.training()) {
      return branch;
    }
    double keep = 1 - rate;
    int batch = Math.toIntExact(branch.getShape().get(0));
    // timm computes (x / keep) * mask, two passes over the branch. One division gives the same bits: x / keep for a
    // kept sample, and x / inf = +-0 (the sign of x, as x * 0) for a dropped one; so does its gradient, g / keep or +-0.
    float[] divisor = new float[batch];
    boolean allKept = true;
    for (int i = 0; i < batch; i++) {
      boolean kept = Math.floor(keep + mode.random().nextDouble()) >= 1;
      divisor[i] = kept ? (float) keep : Float.POSITIVE_INFINITY;
      allKept &= kept;
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
