package io.prenas.vit.selection;

import io.prenas.selector.ScoreMode;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.TorchFloatSum;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.List;

/**
 * {@link ScoreMode#REFERENCE}: the reference's {@code left_super_taylor6} bit for bit. It leaves out cls, pos and the
 * relative-position tables and includes {@code head.bias[:E]} (a bug of the reference), and sums in float32 as
 * PyTorch does. The per-tensor sums must round exactly as PyTorch's float32 {@code sum()}, which depends on the
 * summation order inside each slice, so they are not prefix sums: each distinct slice (one per layer and (E, h) or
 * (E, r)) is summed once with {@link TorchFloatSum}. That is still a small, fixed number of passes, independent of
 * the number of candidates.
 */
final class ReferenceScorer extends CandidateScorer {

  /** The reference's per-layer tensor order in {@code get_left_part_from_super_model}; the float32 sum follows it. */
  private enum Slot {
    QKV_W, QKV_B, PROJ_W, PROJ_B, LN1_W, LN1_B, FC1_W, FC1_B, FC2_W, FC2_B, LN2_W, LN2_B
  }

  // Running sum after patch, norm and head tensors per E, and every per-layer tensor sum.
  private final float[] global; // [e]
  private final float[][][] layerConst; // [l][e][slot] for slots independent of h and r
  private final float[][][][] layerHeads; // [l][e][h][QKV_W, QKV_B, PROJ_W]
  private final float[][][][] layerMlp; // [l][e][r][FC1_W, FC1_B, FC2_W]

  ReferenceScorer(VitSpace space) {
    super(space);
    int ne = embedDims.size();
    int heads = space.sortedNumHeads().size();
    this.global = new float[ne];
    this.layerConst = new float[layers][ne][Slot.values().length];
    this.layerHeads = new float[layers][ne][heads][3];
    this.layerMlp = new float[layers][ne][ratios.length][3];
  }

  @Override
  public ScoreMode mode() {
    return ScoreMode.REFERENCE;
  }

  @Override
  double score(VitArchitecture arch, int e) {
    float total = global[e];
    for (int l = 0; l < arch.depth(); l++) {
      float[] c = layerConst[l][e];
      float[] h = layerHeads[l][e][headIndexOf(arch, l)];
      float[] m = layerMlp[l][e][ratioIndexOf(arch, l)];
      // One float32 addition per tensor, in the reference's order.
      total += h[0];
      total += h[1];
      total += h[2];
      total += c[Slot.PROJ_B.ordinal()];
      total += c[Slot.LN1_W.ordinal()];
      total += c[Slot.LN1_B.ordinal()];
      total += m[0];
      total += m[1];
      total += m[2];
      total += c[Slot.FC2_B.ordinal()];
      total += c[Slot.LN2_W.ordinal()];
      total += c[Slot.LN2_B.ordinal()];
    }
    return total;
  }

  @Override
  void fillGlobal(VitSpace space, SnipInputs in) {
    fillGlobal(in, space.supernet().embedDim(), space.model().patchInputSize(), space.model().numClasses());
  }

  /** Running float32 total after the reference's first six tensors: patch w, b; norm w, b; head w, head.bias[:E]. */
  private void fillGlobal(SnipInputs in, int superE, int patchInputs, int classes) {
    SliceSummer sum = new SliceSummer(in);
    for (int i = 0; i < embedDims.size(); i++) {
      int e = embedDims.get(i);
      float running = 0f;
      running += sum.rows(ReferenceKeys.PATCH_WEIGHT, patchInputs, 0, 1, e, patchInputs);
      running += sum.prefix(ReferenceKeys.PATCH_BIAS, e);
      running += sum.prefix(ReferenceKeys.NORM_WEIGHT, e);
      running += sum.prefix(ReferenceKeys.NORM_BIAS, e);
      running += sum.rows(ReferenceKeys.HEAD_WEIGHT, superE, 0, 1, classes, e);
      running += sum.prefix(ReferenceKeys.HEAD_BIAS, Math.min(e, classes)); // head.bias[:E], the reference's bug
      global[i] = running;
    }
  }

  @Override
  void fillLayer(VitSpace space, SnipInputs in, int l) {
    int superE = space.supernet().embedDim();
    int superF = space.supernet().ffnDim();
    List<Integer> heads = space.sortedNumHeads();
    SliceSummer sum = new SliceSummer(in);
    String[] vectors = layerVectors(l);
    Slot[] vectorSlots = {Slot.PROJ_B, Slot.LN1_W, Slot.LN1_B, Slot.FC2_B, Slot.LN2_W, Slot.LN2_B};
    for (int i = 0; i < embedDims.size(); i++) {
      int e = embedDims.get(i);
      for (int v = 0; v < vectors.length; v++) {
        layerConst[l][i][vectorSlots[v].ordinal()] = sum.prefix(vectors[v], e);
      }
      for (int h = 0; h < heads.size(); h++) {
        int q = SupernetDims.HEAD_DIM * heads.get(h);
        layerHeads[l][i][h] = new float[] {
            sum.interleavedRows(ReferenceKeys.qkvWeight(l), superE, q, e),
            sum.interleavedRows(ReferenceKeys.qkvBias(l), 1, q, 1),
            sum.rows(ReferenceKeys.projWeight(l), superE, 0, 1, e, q)};
      }
      for (int r = 0; r < ratios.length; r++) {
        int f = (int) (e * ratios[r]);
        layerMlp[l][i][r] = new float[] {
            sum.rows(ReferenceKeys.fc1Weight(l), superE, 0, 1, f, e),
            sum.prefix(ReferenceKeys.fc1Bias(l), f),
            sum.rows(ReferenceKeys.fc2Weight(l), superF, 0, 1, e, f)};
      }
    }
  }

  /**
   * Materialises one slice's |θ·g| in the element order of the reference's sliced tensor and sums it as PyTorch
   * does. One instance per thread: it reuses its buffer.
   */
  private static final class SliceSummer {
    private final SnipInputs in;
    private float[] buffer = new float[0];

    SliceSummer(SnipInputs in) {
      this.in = in;
    }

    /** Leading {@code n} elements of a vector. */
    float prefix(String key, int n) {
      return rows(key, n, 0, 1, 1, n);
    }

    /** Rows {@code first, first+step, ...} ({@code count} of them), columns {@code [0, colEnd)}. */
    float rows(String key, int cols, int first, int step, int count, int colEnd) {
      float[] w = in.weight(key);
      float[] g = in.grad(key);
      float[] buf = buffer(count * colEnd);
      int k = 0;
      for (int r = 0; r < count; r++) {
        int base = (first + r * step) * cols;
        for (int c = 0; c < colEnd; c++) buf[k++] = Math.abs(w[base + c] * g[base + c]);
      }
      return TorchFloatSum.sum(buf, k, TorchFloatSum.AVX2_LANES);
    }

    /**
     * The reference's qkv slice {@code cat([W[t:3q:3, :E] for t in 0..2])}: q rows, then k rows, then v rows. For the
     * bias pass {@code cols = 1, colEnd = 1}.
     */
    float interleavedRows(String key, int cols, int q, int colEnd) {
      float[] w = in.weight(key);
      float[] g = in.grad(key);
      float[] buf = buffer(3 * q * colEnd);
      int k = 0;
      for (int t = 0; t < 3; t++) {
        for (int feature = 0; feature < q; feature++) {
          int base = (3 * feature + t) * cols;
          for (int c = 0; c < colEnd; c++) buf[k++] = Math.abs(w[base + c] * g[base + c]);
        }
      }
      return TorchFloatSum.sum(buf, k, TorchFloatSum.AVX2_LANES);
    }

    private float[] buffer(int n) {
      if (buffer.length < n) buffer = new float[n];
      return buffer;
    }
  }
}
