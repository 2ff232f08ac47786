package io.prenas.vit.selection;

import io.prenas.selector.SnipInputs;
import io.prenas.selector.TorchFloatSum;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Independent slice-and-sum scoring for tests: materialises every sliced tensor of a subnet (as the reference's
 * {@code get_left_part_from_super_model} or spec section 6 would) and sums |θ·g| over it.
 */
final class BruteForceSlices {

  private BruteForceSlices() {}

  /** Sliced |θ·g| values per tensor, in the reference's left_dict order (reference) or spec section 6 (subnet). */
  static Map<String, float[]> slices(SnipInputs in, int superE, ModelSettings model, VitArchitecture a,
      boolean reference) {
    Map<String, float[]> out = new LinkedHashMap<>();
    int e = a.embedDim();
    int c = model.numClasses();
    int patch = model.patchInputSize();
    out.put("patch.w", rect(in, "patch_embed_super.proj.weight", patch, 0, e, 1, 0, patch));
    out.put("patch.b", rect(in, "patch_embed_super.proj.bias", 1, 0, 1, 1, 0, e));
    if (!reference) {
      out.put("cls", rect(in, "cls_token", superE, 0, 1, 1, 0, e));
      out.put("pos", rect(in, "pos_embed", superE, 0, model.numPatches() + 1, 1, 0, e));
    }
    out.put("norm.w", rect(in, "norm.weight", 1, 0, 1, 1, 0, e));
    out.put("norm.b", rect(in, "norm.bias", 1, 0, 1, 1, 0, e));
    out.put("head.w", rect(in, "head.weight", superE, 0, c, 1, 0, e));
    out.put("head.b", rect(in, "head.bias", 1, 0, 1, 1, 0, reference ? Math.min(e, c) : c));
    int superF = in.weight("blocks.0.fc1.bias").length;
    for (int l = 0; l < a.depth(); l++) {
      String b = "blocks." + l + ".";
      int q = a.qkDim(l);
      int f = a.ffnDim(l);
      List<float[]> qkvW = new ArrayList<>();
      List<float[]> qkvB = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        qkvW.add(rect(in, b + "attn.qkv.weight", superE, t, q, 3, 0, e)); // rows t, t+3, ... < 3q
        qkvB.add(rect(in, b + "attn.qkv.bias", 1, 0, 1, 1, 0, 3 * q, t));
      }
      out.put(b + "qkv.w", concat(qkvW));
      out.put(b + "qkv.b", concat(qkvB));
      out.put(b + "proj.w", rect(in, b + "attn.proj.weight", superE, 0, e, 1, 0, q));
      out.put(b + "proj.b", rect(in, b + "attn.proj.bias", 1, 0, 1, 1, 0, e));
      out.put(b + "ln1.w", rect(in, b + "attn_layer_norm.weight", 1, 0, 1, 1, 0, e));
      out.put(b + "ln1.b", rect(in, b + "attn_layer_norm.bias", 1, 0, 1, 1, 0, e));
      out.put(b + "fc1.w", rect(in, b + "fc1.weight", superE, 0, f, 1, 0, e));
      out.put(b + "fc1.b", rect(in, b + "fc1.bias", 1, 0, 1, 1, 0, f));
      out.put(b + "fc2.w", rect(in, b + "fc2.weight", superF, 0, e, 1, 0, f));
      out.put(b + "fc2.b", rect(in, b + "fc2.bias", 1, 0, 1, 1, 0, e));
      out.put(b + "ln2.w", rect(in, b + "ffn_layer_norm.weight", 1, 0, 1, 1, 0, e));
      out.put(b + "ln2.b", rect(in, b + "ffn_layer_norm.bias", 1, 0, 1, 1, 0, e));
      if (!reference) {
        for (String table : ReferenceKeys.REL_POS_TABLES) {
          float[] w = in.weight(b + table);
          out.put(b + table, rect(in, b + table, w.length, 0, 1, 1, 0, w.length));
        }
      }
    }
    return out;
  }

  /** The reference score: float32 torch sums per tensor, float32 running total. */
  static float referenceScore(SnipInputs in, int superE, ModelSettings model, VitArchitecture a, int lanes) {
    float total = 0f;
    for (float[] t : slices(in, superE, model, a, true).values()) total += TorchFloatSum.sum(t, t.length, lanes);
    return total;
  }

  /** Eq. 4 over exactly the subnet's parameters, in double. */
  static double subnetScore(SnipInputs in, int superE, ModelSettings model, VitArchitecture a) {
    double total = 0;
    for (float[] t : slices(in, superE, model, a, false).values()) {
      for (float v : t) total += v;
    }
    return total;
  }

  /**
   * |θ·g| of rows {@code rowStart, rowStart+rowStep, ...} (count rows) and columns [colStart, colEnd) of a row-major
   * tensor with {@code cols} columns; for vectors, an optional element step.
   */
  private static float[] rect(SnipInputs in, String key, int cols, int rowStart, int rows, int rowStep,
      int colStart, int colEnd) {
    return rect(in, key, cols, rowStart, rows, rowStep, colStart, colEnd, -1);
  }

  private static float[] rect(SnipInputs in, String key, int cols, int rowStart, int rows, int rowStep,
      int colStart, int colEnd, int vectorOffset) {
    float[] w = in.weight(key);
    float[] g = in.grad(key);
    if (vectorOffset >= 0) { // strided vector: elements offset, offset+3, ... < colEnd
      List<Float> v = new ArrayList<>();
      for (int i = vectorOffset; i < colEnd; i += 3) v.add(Math.abs(w[i] * g[i]));
      float[] out = new float[v.size()];
      for (int i = 0; i < out.length; i++) out[i] = v.get(i);
      return out;
    }
    float[] out = new float[rows * (colEnd - colStart)];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      int row = rowStart + r * rowStep;
      for (int col = colStart; col < colEnd; col++) out[k++] = Math.abs(w[row * cols + col] * g[row * cols + col]);
    }
    return out;
  }

  private static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    float[] out = new float[n];
    int k = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }
}
