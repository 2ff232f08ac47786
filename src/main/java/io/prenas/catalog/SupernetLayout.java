package io.prenas.catalog;

import io.prenas.space.ModelSettings;
import io.prenas.space.SearchSpace;
import io.prenas.space.SupernetDims;
import io.prenas.tensorio.DType;
import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensor names and shapes of a space's supernet in the reference layout ({@code Vision_TransformerSuper}
 * state_dict, spec 2.2), computed from the space's {@link SupernetDims} and {@link ModelSettings}, and the check of an
 * uploaded safetensors file against them. Pure Java: no tensor is read, only the header.
 */
public final class SupernetLayout {

  private static final Set<DType> FLOATS = Set.of(DType.F32, DType.F16, DType.BF16, DType.F64);

  private final Map<String, long[]> shapes;

  private SupernetLayout(Map<String, long[]> shapes) {
    this.shapes = shapes;
  }

  /** The reference layout of a space's supernet. */
  public static SupernetLayout of(SearchSpace space) {
    SupernetDims s = space.supernet();
    ModelSettings m = space.model();
    long e = s.embedDim();
    long f = s.ffnDim();
    long headDim = e / s.numHeads(); // RelativePosition2D_super(num_units = embed_dim // num_heads)
    long relRows = m.relativeTableRows();
    Map<String, long[]> t = new LinkedHashMap<>();
    t.put("cls_token", new long[] {1, 1, e});
    t.put("pos_embed", new long[] {1, m.numPatches() + 1L, e});
    t.put("patch_embed_super.proj.weight", new long[] {e, m.inChans(), m.patchSize(), m.patchSize()});
    t.put("patch_embed_super.proj.bias", new long[] {e});
    for (int i = 0; i < s.depth(); i++) {
      String b = "blocks." + i + ".";
      t.put(b + "attn_layer_norm.weight", new long[] {e});
      t.put(b + "attn_layer_norm.bias", new long[] {e});
      t.put(b + "attn.qkv.weight", new long[] {3 * e, e});
      t.put(b + "attn.qkv.bias", new long[] {3 * e});
      for (String kv : new String[] {"k", "v"}) {
        for (String axis : new String[] {"v", "h"}) {
          t.put(b + "attn.rel_pos_embed_" + kv + ".embeddings_table_" + axis, new long[] {relRows, headDim});
        }
      }
      t.put(b + "attn.proj.weight", new long[] {e, e});
      t.put(b + "attn.proj.bias", new long[] {e});
      t.put(b + "ffn_layer_norm.weight", new long[] {e});
      t.put(b + "ffn_layer_norm.bias", new long[] {e});
      t.put(b + "fc1.weight", new long[] {f, e});
      t.put(b + "fc1.bias", new long[] {f});
      t.put(b + "fc2.weight", new long[] {e, f});
      t.put(b + "fc2.bias", new long[] {e});
    }
    t.put("norm.weight", new long[] {e});
    t.put("norm.bias", new long[] {e});
    t.put("head.weight", new long[] {m.numClasses(), e});
    t.put("head.bias", new long[] {m.numClasses()});
    return new SupernetLayout(t);
  }

  /** Expected tensor names in state_dict order, with their shapes (copies). */
  public Map<String, long[]> shapes() {
    Map<String, long[]> copy = new LinkedHashMap<>();
    shapes.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /**
   * Checks the tensors of a file: every expected name present with its exact shape and a floating-point dtype, and no
   * other tensor.
   *
   * @throws SupernetLayoutException naming the first tensor at fault
   */
  public void check(Map<String, Tensor> tensors) {
    for (Map.Entry<String, long[]> want : shapes.entrySet()) {
      Tensor got = tensors.get(want.getKey());
      if (got == null) {
        throw new SupernetLayoutException(want.getKey(), "missing (expected shape " + Arrays.toString(want.getValue())
            + "; " + tensors.size() + " tensors in the file, " + shapes.size() + " expected)");
      }
      if (!Arrays.equals(got.shape(), want.getValue())) {
        throw new SupernetLayoutException(want.getKey(), "has shape " + Arrays.toString(got.shape()) + ", expected "
            + Arrays.toString(want.getValue()));
      }
      if (!FLOATS.contains(got.dtype())) {
        throw new SupernetLayoutException(want.getKey(), "has dtype " + got.dtype() + ", expected a floating type");
      }
    }
    for (String name : tensors.keySet()) {
      if (!shapes.containsKey(name)) {
        throw new SupernetLayoutException(name, "is not a tensor of this space's supernet");
      }
    }
  }

  /** A supernet file does not match its space; {@link #tensor()} names the tensor. */
  public static final class SupernetLayoutException extends IllegalArgumentException {
    private final String tensor;

    SupernetLayoutException(String tensor, String message) {
      super("tensor '" + tensor + "' " + message);
      this.tensor = tensor;
    }

    public String tensor() {
      return tensor;
    }
  }
}
