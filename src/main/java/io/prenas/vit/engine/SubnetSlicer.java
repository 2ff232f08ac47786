package io.prenas.vit.engine;

import static io.prenas.vit.engine.SupernetLayout.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.prenas.supernet.ParameterSet;
import io.prenas.vit.space.VitArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight entanglement (spec 2.3): the weights of one architecture as slices of the supernet tensors. Slices are
 * views made in the caller's step manager on every call (never cached), so they keep autograd back to the
 * supernet tensors and copy no weights; only the strided qkv rows are gathered (a strided view plus a concat).
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
        view(p.get(PATCH_WEIGHT), step, ":{}", e),
        view(p.get(PATCH_BIAS), step, ":{}", e),
        view(p.get(CLS_TOKEN), step, "..., :{}", e),
        view(p.get(POS_EMBED), step, "..., :{}", e),
        blocks,
        view(p.get(NORM_WEIGHT), step, ":{}", e),
        view(p.get(NORM_BIAS), step, ":{}", e),
        view(p.get(HEAD_WEIGHT), step, ":, :{}", e),
        ParameterSet.whole(p.get(HEAD_BIAS), step));
  }

  private static BlockWeights block(ParameterSet p, int i, int e, int heads, int ffn, NDManager step) {
    int q = Attention.HEAD_DIM * heads;
    AttentionWeights attention = new AttentionWeights(heads,
        interleavedRows(p.get(blockKey(i, QKV_WEIGHT)), q, step, ", :" + e),
        interleavedRows(p.get(blockKey(i, QKV_BIAS)), q, step, ""),
        table(p.get(blockKey(i, REL_K_TABLE_V)), step),
        table(p.get(blockKey(i, REL_K_TABLE_H)), step),
        table(p.get(blockKey(i, REL_V_TABLE_V)), step),
        table(p.get(blockKey(i, REL_V_TABLE_H)), step),
        view(p.get(blockKey(i, PROJ_WEIGHT)), step, ":{}, :{}", e, q),
        view(p.get(blockKey(i, PROJ_BIAS)), step, ":{}", e));
    MlpWeights mlp = new MlpWeights(
        view(p.get(blockKey(i, FC1_WEIGHT)), step, ":{}, :{}", ffn, e),
        view(p.get(blockKey(i, FC1_BIAS)), step, ":{}", ffn),
        view(p.get(blockKey(i, FC2_WEIGHT)), step, ":{}, :{}", e, ffn),
        view(p.get(blockKey(i, FC2_BIAS)), step, ":{}", e));
    return new BlockWeights(
        view(p.get(blockKey(i, LN1_WEIGHT)), step, ":{}", e),
        view(p.get(blockKey(i, LN1_BIAS)), step, ":{}", e),
        attention,
        view(p.get(blockKey(i, LN2_WEIGHT)), step, ":{}", e),
        view(p.get(blockKey(i, LN2_BIAS)), step, ":{}", e),
        mlp);
  }

  /**
   * The reference's interleaved qkv layout: super row {@code 3c + t} is feature c of q (t=0), k (t=1) or v (t=2).
   * A subnet of width q takes rows {@code t, t+3, ... < 3q} for each t and stacks them as [q; k; v].
   */
  static NDArray interleavedRows(NDArray qkv, int q, NDManager step, String columns) {
    NDList parts = new NDList(3);
    for (int t = 0; t < 3; t++) {
      parts.add(qkv.get(step, new NDIndex(t + ":" + 3 * q + ":3" + columns)));
    }
    return NDArrays.concat(parts, 0);
  }

  private static NDArray view(NDArray full, NDManager step, String index, Object... args) {
    return full.get(step, new NDIndex(index, args));
  }

  /** The 64 columns of a relative-position table that attention reads (the whole table when it is 64 wide). */
  private static NDArray table(NDArray full, NDManager step) {
    return full.getShape().get(1) == Attention.HEAD_DIM ? ParameterSet.whole(full, step)
        : view(full, step, ":, :{}", Attention.HEAD_DIM);
  }

}
