package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.prenas.supernet.MixedPrecision;
import io.prenas.supernet.Precision;
import io.prenas.supernet.Release;
import io.prenas.supernet.Scalars;
import io.prenas.vit.space.SupernetDims;

/**
 * Multi-head self-attention with 2-D relative positions for keys and values, as the reference's
 * {@code AttentionSuper} computes it (spec 2.3), on weights already in subnet shape:
 * {@code A = softmax(QK^T s + (Q . R_k) s)}, {@code out = A V + sum_j A_ij R_v[i, j]}, heads concatenated, then
 * proj. The relative terms are computed in factored form ({@link RelativePosition2D.Tables}). The head width is fixed at 64, so the scale s is 64^-0.5 whatever the embedding width.
 */
final class Attention {

  static final int HEAD_DIM = SupernetDims.HEAD_DIM;
  private static final float SCALE = (float) (1.0 / Math.sqrt(HEAD_DIM));

  private Attention() {}

  /** x (B, N, E) to (B, N, E), with the relative-position tables of the keys and of the values. */
  static NDArray apply(NDArray x, AttentionWeights w, RelativePosition2D.Tables relK,
      RelativePosition2D.Tables relV, Precision precision) {
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    int heads = w.heads();
    long width = (long) heads * HEAD_DIM;
    // [q;k;v] row blocks, each 64*h wide and split into h heads of 64: (3, B, h, N, 64)
    // under BF16 q, k and v stay bfloat16 for the two products; the relative terms and softmax are float32
    NDArray projected = MixedPrecision.linear(x, w.qkvWeight(), w.qkvBias(), precision);
    NDArray qkv = Release.after(projected.reshape(batch, tokens, 3, heads, HEAD_DIM).transpose(2, 0, 3, 1, 4),
        projected);
    // split, not three selects: its gradient is one concat, where each select's is a zero-filled array of qkv's size
    NDList parts = qkv.split(3, 0);
    qkv.close();
    NDArray unscaled = Release.after(parts.get(0).squeeze(0), parts.get(0));
    NDArray k = Release.after(parts.get(1).squeeze(0), parts.get(1));
    NDArray v = Release.after(parts.get(2).squeeze(0), parts.get(2));

    // s = 1/8 is a power of two, so (s Q) K^T and (s Q) . R_k are (Q K^T) s and (Q . R_k) s to the bit (in float32
    // and in bfloat16 alike): scaling Q is a pass over (N, 64), where scaling the logits was one over (N, N)
    NDArray q = Release.after(Scalars.mul(unscaled, SCALE), unscaled);
    NDArray kT = k.transpose(0, 1, 3, 2);
    NDArray dotC = Release.after(q.matMul(kT), kT, k);
    NDArray dot = Release.after(MixedPrecision.master(dotC, precision), dotC);
    NDArray q32 = Release.after(MixedPrecision.master(q, precision), q);
    NDArray relScores = Release.after(relK.keyScores(q32), q32); // s q_i . R_k[i, j]
    NDArray logits = Release.after(dot.add(relScores), dot, relScores);
    NDArray attn = Release.after(logits.softmax(-1), logits);

    NDArray attnC = MixedPrecision.compute(attn, precision);
    NDArray avC = Release.after(attnC.matMul(v), v);
    MixedPrecision.release(attnC, attn);
    NDArray av = Release.after(MixedPrecision.master(avC, precision), avC);
    NDArray relMix = Release.after(relV.valueMix(attn), attn); // sum_j A_ij R_v[i, j]
    NDArray heads4 = Release.after(av.add(relMix), av, relMix);
    NDArray mixed = Release.after(heads4.transpose(0, 2, 1, 3).reshape(batch, tokens, width), heads4);
    return Release.after(MixedPrecision.linearToMaster(mixed, w.projWeight(), w.projBias(), precision), mixed);
  }
}
