package io.prenas.vit.engine;

import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reference's supernet tensors for a search space: {@code state_dict} key names and shapes, in
 * {@code state_dict} order (spec 2.2). This order is the file order of every weights and gradients file we read or
 * write, so it is part of the file format.
 */
public final class SupernetLayout {

  public static final String POS_EMBED = "pos_embed";
  public static final String CLS_TOKEN = "cls_token";
  public static final String PATCH_WEIGHT = "patch_embed_super.proj.weight";
  public static final String PATCH_BIAS = "patch_embed_super.proj.bias";
  public static final String NORM_WEIGHT = "norm.weight";
  public static final String NORM_BIAS = "norm.bias";
  public static final String HEAD_WEIGHT = "head.weight";
  public static final String HEAD_BIAS = "head.bias";

  /** Per-block key suffixes, in state_dict order (after {@code blocks.<i>.}). */
  public static final String QKV_WEIGHT = "attn.qkv.weight";
  public static final String QKV_BIAS = "attn.qkv.bias";
  public static final String REL_K_TABLE_V = "attn.rel_pos_embed_k.embeddings_table_v";
  public static final String REL_K_TABLE_H = "attn.rel_pos_embed_k.embeddings_table_h";
  public static final String REL_V_TABLE_V = "attn.rel_pos_embed_v.embeddings_table_v";
  public static final String REL_V_TABLE_H = "attn.rel_pos_embed_v.embeddings_table_h";
  public static final String PROJ_WEIGHT = "attn.proj.weight";
  public static final String PROJ_BIAS = "attn.proj.bias";
  public static final String LN1_WEIGHT = "attn_layer_norm.weight";
  public static final String LN1_BIAS = "attn_layer_norm.bias";
  public static final String LN2_WEIGHT = "ffn_layer_norm.weight";
  public static final String LN2_BIAS = "ffn_layer_norm.bias";
  public static final String FC1_WEIGHT = "fc1.weight";
  public static final String FC1_BIAS = "fc1.bias";
  public static final String FC2_WEIGHT = "fc2.weight";
  public static final String FC2_BIAS = "fc2.bias";


  private SupernetLayout() {}

  /**
   * Checks a weights file of a space's supernet (an upload, an import, a checkpoint) against its layout.
   *
   * @throws WeightsException naming the first missing, unknown, mis-shaped or non-float tensor
   */
  public static void check(VitSpace space, Map<String, Tensor> tensors) {
    ParameterSet.checkLayout(shapes(space), tensors);
  }

  /** Full key of a per-block tensor, e.g. {@code blocks.3.attn.qkv.weight}. */
  public static String blockKey(int layer, String suffix) {
    return "blocks." + layer + "." + suffix;
  }

  /**
   * Key names and shapes of the supernet of a space, in reference {@code state_dict} order. The relative-position
   * tables are {@code E_s / NUM_HEADS} wide, as the reference builds them ({@code num_units = embed_dim // num_heads});
   * attention reads their first 64 columns.
   */
  public static Map<String, long[]> shapes(VitSpace space) {
    SupernetDims s = space.supernet();
    int e = s.embedDim();
    int[] widths = new int[s.depth()];
    int[] hidden = new int[s.depth()];
    java.util.Arrays.fill(widths, e);
    java.util.Arrays.fill(hidden, s.ffnDim());
    return layout(e, widths, hidden, e / s.numHeads(), space.model());
  }

  /**
   * Key names and shapes of the standalone model of one architecture (the export format): the same names as the
   * supernet, blocks 0..D-1 only, each tensor cut to its slice (spec 6). The qkv weight is (3q, E) and its bias
   * (3q) with rows in [q; k; v] blocks, i.e. the reference's interleaved rows already de-interleaved; the
   * relative-position tables are 64 wide (the columns attention reads); the head keeps its full bias. The element
   * total equals the reference's parameter count (spec 3.1).
   */
  public static Map<String, long[]> subnetShapes(VitArchitecture arch, ModelSettings m) {
    int[] widths = new int[arch.depth()];
    int[] hidden = new int[arch.depth()];
    for (int i = 0; i < arch.depth(); i++) {
      widths[i] = arch.qkDim(i);
      hidden[i] = arch.ffnDim(i);
    }
    return layout(arch.embedDim(), widths, hidden, SupernetDims.HEAD_DIM, m);
  }

  /** The shared layout: embedding width e, per-block attention widths q_i and MLP widths f_i. */
  private static Map<String, long[]> layout(long e, int[] qkWidths, int[] ffnWidths, long tableWidth,
      ModelSettings m) {
    long table = m.relativeTableRows();
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put(POS_EMBED, new long[] {1, m.numPatches() + 1, e});
    out.put(CLS_TOKEN, new long[] {1, 1, e});
    out.put(PATCH_WEIGHT, new long[] {e, m.inChans(), m.patchSize(), m.patchSize()});
    out.put(PATCH_BIAS, new long[] {e});
    for (int i = 0; i < qkWidths.length; i++) {
      long q = qkWidths[i];
      long f = ffnWidths[i];
      out.put(blockKey(i, QKV_WEIGHT), new long[] {3 * q, e});
      out.put(blockKey(i, QKV_BIAS), new long[] {3 * q});
      out.put(blockKey(i, REL_K_TABLE_V), new long[] {table, tableWidth});
      out.put(blockKey(i, REL_K_TABLE_H), new long[] {table, tableWidth});
      out.put(blockKey(i, REL_V_TABLE_V), new long[] {table, tableWidth});
      out.put(blockKey(i, REL_V_TABLE_H), new long[] {table, tableWidth});
      out.put(blockKey(i, PROJ_WEIGHT), new long[] {e, q});
      out.put(blockKey(i, PROJ_BIAS), new long[] {e});
      out.put(blockKey(i, LN1_WEIGHT), new long[] {e});
      out.put(blockKey(i, LN1_BIAS), new long[] {e});
      out.put(blockKey(i, LN2_WEIGHT), new long[] {e});
      out.put(blockKey(i, LN2_BIAS), new long[] {e});
      out.put(blockKey(i, FC1_WEIGHT), new long[] {f, e});
      out.put(blockKey(i, FC1_BIAS), new long[] {f});
      out.put(blockKey(i, FC2_WEIGHT), new long[] {e, f});
      out.put(blockKey(i, FC2_BIAS), new long[] {e});
    }
    out.put(NORM_WEIGHT, new long[] {e});
    out.put(NORM_BIAS, new long[] {e});
    out.put(HEAD_WEIGHT, new long[] {m.numClasses(), e});
    out.put(HEAD_BIAS, new long[] {m.numClasses()});
    return Collections.unmodifiableMap(out);
  }

  /** Total number of supernet values (spec G3, "number of params"). */
  public static long totalParameters(VitSpace space) {
    long n = 0;
    for (long[] shape : shapes(space).values()) {
      long k = 1;
      for (long d : shape) {
        k *= d;
      }
      n += k;
    }
    return n;
  }
}
