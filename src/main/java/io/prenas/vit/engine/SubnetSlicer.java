package io.prenas.vit.engine;

import static io.prenas.vit.engine.SupernetLayout.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.Release;
import io.prenas.supernet.Views;
import io.prenas.vit.space.VitArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight entanglement (spec 2.3): the weights of one architecture as slices of the supernet tensors. Slices are
 * views made in the caller's step manager on every call (never cached), so they keep autograd back to the
 * supernet tensors and copy no weights; only the qkv rows are regrouped (one copy, see {@link #interleavedRows}).
 */
final class SubnetSlicer {

  private SubnetSlicer() {}

  static VitWeights slice(ParameterSet p, VitArchitecture arch, NDManager step) {
    int e = arch.embedDim();
    List<BlockWeights> blocks = new ArrayList<>(arch.depth());
    for (int i = 0; i < arch.depth(); i++) {
      blocks.add(block(p, i, e, arch.heads(i), arch.ffnDim(i), step));
    }
    return new VitWeights(
        cut(p.get(PATCH_WEIGHT), step, 0, e),
        cut(p.get(PATCH_BIAS), step, 0, e),
        cutLast(p.get(CLS_TOKEN), step, e),
        cutLast(p.get(POS_EMBED), step, e),
        blocks,
        cut(p.get(NORM_WEIGHT), step, 0, e),
        cut(p.get(NORM_BIAS), step, 0, e),
        cut(p.get(HEAD_WEIGHT), step, 1, e),
        ParameterSet.whole(p.get(HEAD_BIAS), step));
  }

  private static BlockWeights block(ParameterSet p, int i, int e, int heads, int ffn, NDManager step) {
    int q = Attention.HEAD_DIM * heads;
    AttentionWeights attention = new AttentionWeights(heads,
        interleavedRows(p.get(blockKey(i, QKV_WEIGHT)), q, e, step),
        interleavedRows(p.get(blockKey(i, QKV_BIAS)), q, -1, step),
        table(p.get(blockKey(i, REL_K_TABLE_V)), step),
        table(p.get(blockKey(i, REL_K_TABLE_H)), step),
        table(p.get(blockKey(i, REL_V_TABLE_V)), step),
        table(p.get(blockKey(i, REL_V_TABLE_H)), step),
        cut(p.get(blockKey(i, PROJ_WEIGHT)), step, 0, e, q),
        cut(p.get(blockKey(i, PROJ_BIAS)), step, 0, e));
    MlpWeights mlp = new MlpWeights(
        cut(p.get(blockKey(i, FC1_WEIGHT)), step, 0, ffn, e),
        cut(p.get(blockKey(i, FC1_BIAS)), step, 0, ffn),
        cut(p.get(blockKey(i, FC2_WEIGHT)), step, 0, e, ffn),
        cut(p.get(blockKey(i, FC2_BIAS)), step, 0, e));
    return new BlockWeights(
        cut(p.get(blockKey(i, LN1_WEIGHT)), step, 0, e),
        cut(p.get(blockKey(i, LN1_BIAS)), step, 0, e),
        attention,
        cut(p.get(blockKey(i, LN2_WEIGHT)), step, 0, e),
        cut(p.get(blockKey(i, LN2_BIAS)), step, 0, e),
        mlp);
  }

  /**
   * The reference's interleaved qkv layout: super row {@code 3c + t} is feature c of q (t=0), k (t=1) or v (t=2).
   * A subnet of width q takes rows {@code t, t+3, ... < 3q} for each t and stacks them as [q; k; v]. Those rows are
   * exactly the first 3q, so they are cut once (and the first {@code columns} columns of a weight; -1 for the bias)
   * and regrouped by a reshape, (q, 3, ...) to (3, q, ...): one copy, whose gradient is one copy back. Three strided
   * slices and a concat, as before, cost three zero-filled supernet-sized gradients per step and their sum.
   */
  static NDArray interleavedRows(NDArray qkv, int q, long columns, NDManager step) {
    NDArray rows = columns >= 0 ? cut(qkv, step, 0, 3L * q, columns) : cut(qkv, step, 0, 3L * q);
    Shape shape = rows.getShape();
    NDArray grouped = Release.after(rows.reshape(q, 3, -1).transpose(1, 0, 2), rows);
    return Release.after(grouped.reshape(shape), grouped);
  }

  /** {@code full} cut to {@code extents} from dimension {@code first} on ({@link Views#leading}). */
  private static NDArray cut(NDArray full, NDManager step, int first, long... extents) {
    return Views.leading(full, step, first, extents);
  }

  /** {@code full} cut to {@code extent} in its last dimension, as {@link #cut}. */
  private static NDArray cutLast(NDArray full, NDManager step, long extent) {
    return cut(full, step, full.getShape().dimension() - 1, extent);
  }

  /** The 64 columns of a relative-position table that attention reads (the whole table when it is 64 wide). */
  private static NDArray table(NDArray full, NDManager step) {
    return cut(full, step, 1, Attention.HEAD_DIM);
  }

}
