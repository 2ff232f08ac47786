package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** One pre-norm transformer block: {@code x + DropPath(attn(LN1 x))}, then {@code x + DropPath(mlp(LN2 x))}. */
final class EncoderBlock {

  static final float LAYER_NORM_EPS = 1e-5f;

  private EncoderBlock() {}

  static NDArray apply(NDArray x, BlockWeights w, RelativePosition2D positions, double dropPathRate,
      ForwardMode mode) {
    NDManager step = x.getManager();
    AttentionWeights a = w.attention();
    NDArray relK = positions.embeddings(step, a.relKTableV(), a.relKTableH());
    NDArray relV = positions.embeddings(step, a.relVTableV(), a.relVTableH());
    NDArray attended = Attention.apply(layerNorm(x, w.ln1Weight(), w.ln1Bias()), a, relK, relV);
    x = x.add(DropPath.apply(attended, dropPathRate, mode));
    NDArray transformed = Mlp.apply(layerNorm(x, w.ln2Weight(), w.ln2Bias()), w.mlp());
    return x.add(DropPath.apply(transformed, dropPathRate, mode));
  }

  static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
    Shape normalized = new Shape(weight.getShape().get(0));
    return LayerNorm.layerNorm(x, normalized, weight, bias, LAYER_NORM_EPS).singletonOrThrow();
  }
}
