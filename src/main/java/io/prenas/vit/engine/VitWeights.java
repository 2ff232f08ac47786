package io.prenas.vit.engine;

import static io.prenas.vit.engine.SupernetLayout.*;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * All weights of a plain ViT in its own shapes (E wide, D blocks). The supernet produces one of these per forward
 * pass by slicing its tensors ({@link SubnetSlicer}); a standalone model holds one ({@link VitModel}). Both then run
 * the same {@link VitForward}, so a subnet and its export compute the same function by construction.
 */
record VitWeights(NDArray patchWeight, NDArray patchBias, NDArray clsToken, NDArray posEmbed,
    List<BlockWeights> blocks, NDArray normWeight, NDArray normBias, NDArray headWeight, NDArray headBias) {

  VitWeights {
    blocks = List.copyOf(blocks);
  }

  int embedDim() {
    return Math.toIntExact(patchWeight.getShape().get(0));
  }

  /** The arrays under their standalone-model names ({@link SupernetLayout#subnetShapes}), in that order. */
  Map<String, NDArray> byKey() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(POS_EMBED, posEmbed);
    out.put(CLS_TOKEN, clsToken);
    out.put(PATCH_WEIGHT, patchWeight);
    out.put(PATCH_BIAS, patchBias);
    for (int i = 0; i < blocks.size(); i++) {
      BlockWeights b = blocks.get(i);
      AttentionWeights a = b.attention();
      out.put(blockKey(i, QKV_WEIGHT), a.qkvWeight());
      out.put(blockKey(i, QKV_BIAS), a.qkvBias());
      out.put(blockKey(i, REL_K_TABLE_V), a.relKTableV());
      out.put(blockKey(i, REL_K_TABLE_H), a.relKTableH());
      out.put(blockKey(i, REL_V_TABLE_V), a.relVTableV());
      out.put(blockKey(i, REL_V_TABLE_H), a.relVTableH());
      out.put(blockKey(i, PROJ_WEIGHT), a.projWeight());
      out.put(blockKey(i, PROJ_BIAS), a.projBias());
      out.put(blockKey(i, LN1_WEIGHT), b.ln1Weight());
      out.put(blockKey(i, LN1_BIAS), b.ln1Bias());
      out.put(blockKey(i, LN2_WEIGHT), b.ln2Weight());
      out.put(blockKey(i, LN2_BIAS), b.ln2Bias());
      out.put(blockKey(i, FC1_WEIGHT), b.mlp().fc1Weight());
      out.put(blockKey(i, FC1_BIAS), b.mlp().fc1Bias());
      out.put(blockKey(i, FC2_WEIGHT), b.mlp().fc2Weight());
      out.put(blockKey(i, FC2_BIAS), b.mlp().fc2Bias());
    }
    out.put(NORM_WEIGHT, normWeight);
    out.put(NORM_BIAS, normBias);
    out.put(HEAD_WEIGHT, headWeight);
    out.put(HEAD_BIAS, headBias);
    return out;
  }

  /** Weights of a plain model looked up by their standalone-model names; {@code heads} per block. */
  static VitWeights fromKeys(Function<String, NDArray> byKey, List<Integer> heads) {
    List<BlockWeights> blocks = new ArrayList<>(heads.size());
    for (int i = 0; i < heads.size(); i++) {
      final int layer = i;
      Function<String, NDArray> block = suffix -> byKey.apply(blockKey(layer, suffix));
      AttentionWeights attention = new AttentionWeights(heads.get(i), block.apply(QKV_WEIGHT),
          block.apply(QKV_BIAS), block.apply(REL_K_TABLE_V), block.apply(REL_K_TABLE_H),
          block.apply(REL_V_TABLE_V), block.apply(REL_V_TABLE_H), block.apply(PROJ_WEIGHT),
          block.apply(PROJ_BIAS));
      MlpWeights mlp = new MlpWeights(block.apply(FC1_WEIGHT), block.apply(FC1_BIAS), block.apply(FC2_WEIGHT),
          block.apply(FC2_BIAS));
      blocks.add(new BlockWeights(block.apply(LN1_WEIGHT), block.apply(LN1_BIAS), attention,
          block.apply(LN2_WEIGHT), block.apply(LN2_BIAS), mlp));
    }
    return new VitWeights(byKey.apply(PATCH_WEIGHT), byKey.apply(PATCH_BIAS), byKey.apply(CLS_TOKEN),
        byKey.apply(POS_EMBED), blocks, byKey.apply(NORM_WEIGHT), byKey.apply(NORM_BIAS),
        byKey.apply(HEAD_WEIGHT), byKey.apply(HEAD_BIAS));
  }
}
