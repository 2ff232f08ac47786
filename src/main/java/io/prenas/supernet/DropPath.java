package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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
    float[] mask = new float[batch];
    for (int i = 0; i < batch; i++) {
      mask[i] = (float) Math.floor(keep + mode.random().nextDouble());
    }
    Shape perSample = new Shape(batch, 1, 1);
    NDArray scaled = Scalars.div(branch, (float) keep);
    NDArray onHost = HostArrays.floats(branch.getManager(), mask, perSample);
    NDArray onDevice = onHost.toDevice(branch.getDevice(), false);
    // autograd keeps its own reference to the mask (libtorch memory) for backward: our handles can go
    return Release.after(scaled.mul(onDevice), scaled, onDevice, onDevice == onHost ? null : onHost);
  }
}
