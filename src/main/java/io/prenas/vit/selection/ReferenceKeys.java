package io.prenas.vit.selection;

import io.prenas.vit.engine.SupernetLayout;

/**
 * The reference's state_dict key names, the contract of the weight and gradient files, as the selector reads them.
 * The names themselves are defined once, in {@link SupernetLayout}.
 */
final class ReferenceKeys {

  private ReferenceKeys() {}

  static final String PATCH_WEIGHT = SupernetLayout.PATCH_WEIGHT;
  static final String PATCH_BIAS = SupernetLayout.PATCH_BIAS;
  static final String CLS_TOKEN = SupernetLayout.CLS_TOKEN;
  static final String POS_EMBED = SupernetLayout.POS_EMBED;
  static final String NORM_WEIGHT = SupernetLayout.NORM_WEIGHT;
  static final String NORM_BIAS = SupernetLayout.NORM_BIAS;
  static final String HEAD_WEIGHT = SupernetLayout.HEAD_WEIGHT;
  static final String HEAD_BIAS = SupernetLayout.HEAD_BIAS;

  static final String[] REL_POS_TABLES = {
      SupernetLayout.REL_K_TABLE_V, SupernetLayout.REL_K_TABLE_H,
      SupernetLayout.REL_V_TABLE_V, SupernetLayout.REL_V_TABLE_H};

  static String block(int layer, String suffix) {
    return SupernetLayout.blockKey(layer, suffix);
  }

  static String qkvWeight(int layer) {
    return block(layer, SupernetLayout.QKV_WEIGHT);
  }

  static String qkvBias(int layer) {
    return block(layer, SupernetLayout.QKV_BIAS);
  }

  static String projWeight(int layer) {
    return block(layer, SupernetLayout.PROJ_WEIGHT);
  }

  static String projBias(int layer) {
    return block(layer, SupernetLayout.PROJ_BIAS);
  }

  static String ln1Weight(int layer) {
    return block(layer, SupernetLayout.LN1_WEIGHT);
  }

  static String ln1Bias(int layer) {
    return block(layer, SupernetLayout.LN1_BIAS);
  }

  static String fc1Weight(int layer) {
    return block(layer, SupernetLayout.FC1_WEIGHT);
  }

  static String fc1Bias(int layer) {
    return block(layer, SupernetLayout.FC1_BIAS);
  }

  static String fc2Weight(int layer) {
    return block(layer, SupernetLayout.FC2_WEIGHT);
  }

  static String fc2Bias(int layer) {
    return block(layer, SupernetLayout.FC2_BIAS);
  }

  static String ln2Weight(int layer) {
    return block(layer, SupernetLayout.LN2_WEIGHT);
  }

  static String ln2Bias(int layer) {
    return block(layer, SupernetLayout.LN2_BIAS);
  }
}
