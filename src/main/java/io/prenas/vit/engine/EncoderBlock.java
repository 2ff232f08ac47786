package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import io.prenas.supernet.DropPath;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.Release;

/** One pre-norm transformer block: {@code x + DropPath(attn(LN1 x))}, then {@code x + DropPath(mlp(LN2 x))}. */
final class EncoderBlock {

  static final float LAYER_NORM_EPS = 1e-5f;

  private EncoderBlock() {}

  static NDArray apply(NDArray x, BlockWeights w, RelativePosition2D.Lookup lookup, double dropPathRate,
      ForwardMode mode) {
    // The block input x is the caller's; every other array made here is released once used. In training, each
    // branch runs only on the samples whose drop-path draw keeps it (DropPath.residual).
    NDArray mid = DropPath.residual(x, dropPathRate, mode, rows -> {
      NDArray normed1 = layerNorm(rows, w.ln1Weight(), w.ln1Bias());
      return Release.after(Attention.apply(normed1, w.attention(), lookup, mode.precision()), normed1);
    });
    NDArray out = DropPath.residual(mid, dropPathRate, mode, rows -> {
      NDArray normed2 = layerNorm(rows, w.ln2Weight(), w.ln2Bias());
      return Release.after(Mlp.apply(normed2, w.mlp(), mode.precision()), normed2);
    });
    return Release.after(out, mid);
  }

  static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
    Shape normalized = new Shape(weight.getShape().get(0));
    return LayerNorm.layerNorm(x, normalized, weight, bias, LAYER_NORM_EPS).singletonOrThrow();
  }
}
