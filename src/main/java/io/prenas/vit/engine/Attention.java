package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import io.prenas.supernet.MixedPrecision;
import io.prenas.supernet.Precision;
import io.prenas.supernet.Release;
import io.prenas.vit.space.SupernetDims;

/**
 * Multi-head self-attention with 2-D relative positions for keys and values, as the reference's
 * {@code AttentionSuper} computes it (spec 2.3), on weights already in subnet shape:
 * {@code A = softmax(QK^T s + (Q . R_k) s)}, {@code out = A V + sum_j A_ij R_v[i, j]}, heads concatenated, then
 * proj. The qkv and proj products are DJL calls (bfloat16 under BF16, {@link MixedPrecision}); everything between
 * them is one call, {@link AttentionCore}. The head width is fixed at 64, so the scale s is 64^-0.5 whatever the
 * embedding width.
 */
final class Attention {

  static final int HEAD_DIM = SupernetDims.HEAD_DIM;

  private Attention() {}

  /** x (B, N, E) to (B, N, E), with the relative-position lookup of the layer's grid. */
  static NDArray apply(NDArray x, AttentionWeights w, RelativePosition2D.Lookup lookup, Precision precision) {
    NDArray projected = MixedPrecision.linear(x, w.qkvWeight(), w.qkvBias(), precision);
    NDArray mixed = Release.after(AttentionCore.apply(projected, w, lookup), projected);
    return Release.after(MixedPrecision.linearToMaster(mixed, w.projWeight(), w.projBias(), precision), mixed);
  }
}
