package io.prenas.selector;

/** The reference's state_dict key names, the contract of the weight and gradient files. */
final class ReferenceKeys {

  private ReferenceKeys() {}

  static final String PATCH_WEIGHT = "patch_embed_super.proj.weight";
  static final String PATCH_BIAS = "patch_embed_super.proj.bias";
  static final String CLS_TOKEN = "cls_token";
  static final String POS_EMBED = "pos_embed";
  static final String NORM_WEIGHT = "norm.weight";
  static final String NORM_BIAS = "norm.bias";
  static final String HEAD_WEIGHT = "head.weight";
  static final String HEAD_BIAS = "head.bias";

  static final String[] REL_POS_TABLES = {
      "attn.rel_pos_embed_k.embeddings_table_v", "attn.rel_pos_embed_k.embeddings_table_h",
      "attn.rel_pos_embed_v.embeddings_table_v", "attn.rel_pos_embed_v.embeddings_table_h"};

  static String block(int layer, String suffix) {
    return "blocks." + layer + "." + suffix;
  }

  static String qkvWeight(int layer) {
    return block(layer, "attn.qkv.weight");
  }

  static String qkvBias(int layer) {
    return block(layer, "attn.qkv.bias");
  }

  static String projWeight(int layer) {
    return block(layer, "attn.proj.weight");
  }

  static String projBias(int layer) {
    return block(layer, "attn.proj.bias");
  }

  static String ln1Weight(int layer) {
    return block(layer, "attn_layer_norm.weight");
  }

  static String ln1Bias(int layer) {
    return block(layer, "attn_layer_norm.bias");
  }

  static String fc1Weight(int layer) {
    return block(layer, "fc1.weight");
  }

  static String fc1Bias(int layer) {
    return block(layer, "fc1.bias");
  }

  static String fc2Weight(int layer) {
    return block(layer, "fc2.weight");
  }

  static String fc2Bias(int layer) {
    return block(layer, "fc2.bias");
  }

  static String ln2Weight(int layer) {
    return block(layer, "ffn_layer_norm.weight");
  }

  static String ln2Bias(int layer) {
    return block(layer, "ffn_layer_norm.bias");
  }
}
