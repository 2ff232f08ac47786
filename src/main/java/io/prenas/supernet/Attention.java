package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import io.prenas.space.SupernetDims;

/**
 * Multi-head self-attention with 2-D relative positions for keys and values, as the reference's
 * {@code AttentionSuper} computes it (spec 2.3), on weights already in subnet shape:
 * {@code A = softmax(QK^T s + (Q . R_k) s)}, {@code out = A V + sum_j A_ij R_v[i, j]}, heads concatenated, then
 * proj. The head width is fixed at 64, so the scale s is 64^-0.5 whatever the embedding width.
 */
final class Attention {

  static final int HEAD_DIM = SupernetDims.HEAD_DIM;
  private static final float SCALE = (float) (1.0 / Math.sqrt(HEAD_DIM));

  private Attention() {}

  /** x (B, N, E) to (B, N, E); {@code relK}/{@code relV} are (N, N, 64) position embeddings. */
  static NDArray apply(NDArray x, AttentionWeights w, NDArray relK, NDArray relV) {
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    int heads = w.heads();
    long width = (long) heads * HEAD_DIM;
    // [q;k;v] row blocks, each 64*h wide and split into h heads of 64: (3, B, h, N, 64)
    NDArray projected = Linear.linear(x, w.qkvWeight(), w.qkvBias()).singletonOrThrow();
    NDArray qkv = Release.after(projected.reshape(batch, tokens, 3, heads, HEAD_DIM).transpose(2, 0, 3, 1, 4),
        projected);
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    qkv.close();

    NDArray kT = k.transpose(0, 1, 3, 2);
    NDArray dot = Release.after(q.matMul(kT), kT, k);
    // Relative keys: per query token i, q_i . R_k[i, j]; batched over tokens as (N, B*h, 64) @ (N, 64, N).
    NDArray qByToken = q.transpose(2, 0, 1, 3).reshape(tokens, batch * heads, HEAD_DIM);
    NDArray relKT = relK.transpose(0, 2, 1);
    NDArray relByToken = Release.after(qByToken.matMul(relKT), qByToken, relKT, q);
    NDArray relScores = Release.after(relByToken.transpose(1, 0, 2).reshape(batch, heads, tokens, tokens),
        relByToken);
    NDArray logits = Release.after(dot.add(relScores), dot, relScores);
    NDArray scaled = Release.after(logits.mul(SCALE), logits);
    NDArray attn = Release.after(scaled.softmax(-1), scaled);

    NDArray av = Release.after(attn.matMul(v), v);
    NDArray out = Release.after(av.transpose(0, 2, 1, 3).reshape(batch, tokens, width), av);
    // Relative values: sum_j A_ij R_v[i, j], batched over tokens as (N, B*h, N) @ (N, N, 64).
    NDArray attnByToken = Release.after(attn.transpose(2, 0, 1, 3).reshape(tokens, batch * heads, tokens), attn);
    NDArray relV3 = Release.after(attnByToken.matMul(relV), attnByToken);
    NDArray relOut = Release.after(relV3.transpose(1, 0, 2).reshape(batch, heads, tokens, HEAD_DIM)
        .transpose(0, 2, 1, 3).reshape(batch, tokens, width), relV3);
    NDArray mixed = Release.after(out.add(relOut), out, relOut);
    return Release.after(Linear.linear(mixed, w.projWeight(), w.projBias()).singletonOrThrow(), mixed);
  }
}
