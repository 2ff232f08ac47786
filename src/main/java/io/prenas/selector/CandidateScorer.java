package io.prenas.selector;

import static io.prenas.selector.RegionSums.Term.ABS_PRODUCT;

import io.prenas.selector.RegionSums.Term;
import io.prenas.space.Architecture;
import io.prenas.space.ModelSettings;
import io.prenas.space.SearchSpace;
import io.prenas.space.SupernetDims;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SNIP score Σ|θ·g| of a candidate subnet (paper Eq. 4) without slicing any tensor per candidate.
 *
 * <p>Every subnet slice is a leading rectangle of a supernet tensor, and a subnet's score is additive over tensors
 * and layers. So {@link #precompute} takes one pass over each tensor and stores the partial sums for every slice
 * size the space can ask for (per embedding width E, head count h and MLP ratio r). Scoring a candidate then reads
 * O(depth) numbers.
 *
 * <p>In {@link ScoreMode#REFERENCE} the per-tensor sums must round exactly as PyTorch's float32 {@code sum()} does,
 * and that depends on the summation order inside each slice, so they are not prefix sums: each distinct slice
 * (one per layer and (E, h) or (E, r)) is summed once with {@link TorchFloatSum}. That is still a small, fixed
 * number of passes, independent of the number of candidates.
 */
public final class CandidateScorer {

  /** The reference's per-layer tensor order in {@code get_left_part_from_super_model}; the float32 sum follows it. */
  private enum Slot {
    QKV_W, QKV_B, PROJ_W, PROJ_B, LN1_W, LN1_B, FC1_W, FC1_B, FC2_W, FC2_B, LN2_W, LN2_B
  }

  private final List<Integer> embedDims;
  private final int[] embedIndex; // E -> index, -1 if absent
  private final int[] headIndex; // h -> index into the sorted head choices, -1 if absent
  private final double[] ratios; // sorted MLP choices
  private final int layers;

  // SUBNET mode, double sums: total of the layer-independent tensors per E, and per layer the parts that depend on
  // E only, on (E, h) and on (E, r).
  private final double[] subnetGlobal; // [e]
  private final double[][] subnetLayerConst; // [l][e]
  private final double[][][] subnetLayerHeads; // [l][e][h]
  private final double[][][] subnetLayerMlp; // [l][e][r]

  // REFERENCE mode, float32: running sum after patch, norm and head tensors per E, and every per-layer tensor sum.
  private final float[] referenceGlobal; // [e]
  private final float[][][] referenceConst; // [l][e][slot] for slots independent of h and r
  private final float[][][][] referenceHeads; // [l][e][h][QKV_W, QKV_B, PROJ_W]
  private final float[][][][] referenceMlp; // [l][e][r][FC1_W, FC1_B, FC2_W]

  private final ScoreMode mode;

  private CandidateScorer(SearchSpace space, ScoreMode mode) {
    this.mode = mode;
    this.embedDims = space.embedDims();
    this.embedIndex = lookup(embedDims);
    List<Integer> heads = space.sortedNumHeads();
    this.headIndex = lookup(heads);
    this.ratios = space.sortedMlpRatios().stream().mapToDouble(Double::doubleValue).toArray();
    this.layers = space.maxDepth();
    int ne = embedDims.size();
    this.subnetGlobal = new double[ne];
    this.subnetLayerConst = new double[layers][ne];
    this.subnetLayerHeads = new double[layers][ne][heads.size()];
    this.subnetLayerMlp = new double[layers][ne][ratios.length];
    this.referenceGlobal = new float[ne];
    this.referenceConst = new float[layers][ne][Slot.values().length];
    this.referenceHeads = new float[layers][ne][heads.size()][3];
    this.referenceMlp = new float[layers][ne][ratios.length][3];
  }

  /**
   * The partial sums of one score mode, from the weights and gradients of the space's supernet.
   *
   * @param threads layers are summed in parallel on this many threads (1 = the calling thread only)
   */
  public static CandidateScorer precompute(SearchSpace space, SnipInputs inputs, ScoreMode mode, int threads) {
    LayerNormalisedSnip.checkFits(space);
    CandidateScorer scorer = new CandidateScorer(space, mode);
    scorer.fillGlobal(space, inputs);
    if (threads <= 1) {
      for (int l = 0; l < scorer.layers; l++) scorer.fillLayer(space, inputs, l);
      return scorer;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int l = 0; l < scorer.layers; l++) {
        int layer = l;
        done.add(pool.submit(() -> scorer.fillLayer(space, inputs, layer)));
      }
      for (Future<?> f : done) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while precomputing SNIP sums", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return scorer;
  }

  public ScoreMode mode() {
    return mode;
  }

  /** The candidate's score (in {@link ScoreMode#REFERENCE}, a float32 value widened to double). */
  public double score(Architecture arch) {
    int e = embedIndexOf(arch);
    if (arch.depth() > layers) {
      throw new SelectorException("depth " + arch.depth() + " exceeds the precomputed " + layers + " layers");
    }
    return mode == ScoreMode.REFERENCE ? referenceScore(arch, e) : subnetScore(arch, e);
  }

  private double subnetScore(Architecture arch, int e) {
    double total = subnetGlobal[e];
    for (int l = 0; l < arch.depth(); l++) {
      total += subnetLayerConst[l][e] + subnetLayerHeads[l][e][headIndexOf(arch, l)]
          + subnetLayerMlp[l][e][ratioIndexOf(arch, l)];
    }
    return total;
  }

  private float referenceScore(Architecture arch, int e) {
    float total = referenceGlobal[e];
    for (int l = 0; l < arch.depth(); l++) {
      float[] c = referenceConst[l][e];
      float[] h = referenceHeads[l][e][headIndexOf(arch, l)];
      float[] m = referenceMlp[l][e][ratioIndexOf(arch, l)];
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

  private void fillGlobal(SearchSpace space, SnipInputs in) {
    SupernetDims sup = space.supernet();
    ModelSettings model = space.model();
    int superE = sup.embedDim();
    int classes = model.numClasses();
    int tokens = model.numPatches() + 1;
    int patchInputs = model.patchInputSize();
    in.requireShape(ReferenceKeys.PATCH_WEIGHT, superE, model.inChans(), model.patchSize(), model.patchSize());
    in.requireShape(ReferenceKeys.PATCH_BIAS, superE);
    in.requireShape(ReferenceKeys.NORM_WEIGHT, superE);
    in.requireShape(ReferenceKeys.NORM_BIAS, superE);
    in.requireShape(ReferenceKeys.HEAD_WEIGHT, classes, superE);
    in.requireShape(ReferenceKeys.HEAD_BIAS, classes);
    if (mode == ScoreMode.REFERENCE) {
      fillReferenceGlobal(in, superE, patchInputs, classes);
      return;
    }
    in.requireShape(ReferenceKeys.CLS_TOKEN, 1, 1, superE);
    in.requireShape(ReferenceKeys.POS_EMBED, 1, tokens, superE);
    int[] e = cuts(embedDims);
    double[][] patchW = leading(in, ReferenceKeys.PATCH_WEIGHT, superE, patchInputs, e, new int[] {patchInputs});
    double[] patchB = vector(in, ReferenceKeys.PATCH_BIAS, e);
    double[] cls = vector(in, ReferenceKeys.CLS_TOKEN, e);
    double[] pos = leading(in, ReferenceKeys.POS_EMBED, tokens, superE, new int[] {tokens}, e)[0];
    double[] normW = vector(in, ReferenceKeys.NORM_WEIGHT, e);
    double[] normB = vector(in, ReferenceKeys.NORM_BIAS, e);
    double[] headW = leading(in, ReferenceKeys.HEAD_WEIGHT, classes, superE, new int[] {classes}, e)[0];
    double headBias = RegionSums.total(in.weight(ReferenceKeys.HEAD_BIAS), in.grad(ReferenceKeys.HEAD_BIAS),
        ABS_PRODUCT);
    for (int i = 0; i < embedDims.size(); i++) {
      subnetGlobal[i] = patchW[i][0] + patchB[i] + cls[i] + pos[i] + normW[i] + normB[i] + headW[i] + headBias;
    }
  }

  /** Running float32 total after the reference's first six tensors: patch w, b; norm w, b; head w, head.bias[:E]. */
  private void fillReferenceGlobal(SnipInputs in, int superE, int patchInputs, int classes) {
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
      referenceGlobal[i] = running;
    }
  }

  private void fillLayer(SearchSpace space, SnipInputs in, int l) {
    SupernetDims sup = space.supernet();
    int superE = sup.embedDim();
    int superF = sup.ffnDim();
    in.requireShape(ReferenceKeys.qkvWeight(l), 3L * superE, superE);
    in.requireShape(ReferenceKeys.qkvBias(l), 3L * superE);
    in.requireShape(ReferenceKeys.projWeight(l), superE, superE);
    in.requireShape(ReferenceKeys.fc1Weight(l), superF, superE);
    in.requireShape(ReferenceKeys.fc1Bias(l), superF);
    in.requireShape(ReferenceKeys.fc2Weight(l), superE, superF);
    for (String k : layerVectors(l)) in.requireShape(k, superE);
    if (mode == ScoreMode.REFERENCE) {
      fillReferenceLayer(space, in, l);
    } else {
      fillSubnetLayer(space, in, l);
    }
  }

  /** proj.bias, LN1 weight and bias, fc2.bias, LN2 weight and bias: vectors of E_s sliced to E. */
  private static String[] layerVectors(int l) {
    return new String[] {ReferenceKeys.projBias(l), ReferenceKeys.ln1Weight(l), ReferenceKeys.ln1Bias(l),
        ReferenceKeys.fc2Bias(l), ReferenceKeys.ln2Weight(l), ReferenceKeys.ln2Bias(l)};
  }

  private void fillSubnetLayer(SearchSpace space, SnipInputs in, int l) {
    int superE = space.supernet().embedDim();
    int superF = space.supernet().ffnDim();
    List<Integer> heads = space.sortedNumHeads();
    int[] e = cuts(embedDims);
    int[] qkvRows = heads.stream().mapToInt(h -> 3 * SupernetDims.HEAD_DIM * h).toArray();
    int[] qDims = heads.stream().mapToInt(h -> SupernetDims.HEAD_DIM * h).toArray();

    // qkv: rows below 3·64·h are exactly the interleaved q, k and v rows of h heads; columns below E.
    double[][] qkvW = leading(in, ReferenceKeys.qkvWeight(l), 3 * superE, superE, qkvRows, e);
    double[] qkvB = vector(in, ReferenceKeys.qkvBias(l), qkvRows);
    double[][] projW = leading(in, ReferenceKeys.projWeight(l), superE, superE, e, qDims);
    double[] perE = new double[embedDims.size()];
    for (String key : layerVectors(l)) {
      double[] v = vector(in, key, e);
      for (int i = 0; i < perE.length; i++) perE[i] += v[i];
    }
    double relPos = 0;
    for (String table : ReferenceKeys.REL_POS_TABLES) {
      String key = ReferenceKeys.block(l, table);
      in.shape(key);
      relPos += RegionSums.total(in.weight(key), in.grad(key), ABS_PRODUCT);
    }
    int[] units = hiddenWidths();
    double[][] fc1W = leading(in, ReferenceKeys.fc1Weight(l), superF, superE, units, e);
    double[] fc1B = vector(in, ReferenceKeys.fc1Bias(l), units);
    double[][] fc2W = leading(in, ReferenceKeys.fc2Weight(l), superE, superF, e, units);

    for (int i = 0; i < embedDims.size(); i++) {
      subnetLayerConst[l][i] = perE[i] + relPos;
      for (int h = 0; h < heads.size(); h++) {
        subnetLayerHeads[l][i][h] = qkvW[h][i] + qkvB[h] + projW[i][h];
      }
      for (int r = 0; r < ratios.length; r++) {
        int u = i * ratios.length + r;
        subnetLayerMlp[l][i][r] = fc1W[u][i] + fc1B[u] + fc2W[i][u];
      }
    }
  }

  private void fillReferenceLayer(SearchSpace space, SnipInputs in, int l) {
    int superE = space.supernet().embedDim();
    int superF = space.supernet().ffnDim();
    List<Integer> heads = space.sortedNumHeads();
    SliceSummer sum = new SliceSummer(in);
    String[] vectors = layerVectors(l);
    Slot[] vectorSlots = {Slot.PROJ_B, Slot.LN1_W, Slot.LN1_B, Slot.FC2_B, Slot.LN2_W, Slot.LN2_B};
    for (int i = 0; i < embedDims.size(); i++) {
      int e = embedDims.get(i);
      for (int v = 0; v < vectors.length; v++) {
        referenceConst[l][i][vectorSlots[v].ordinal()] = sum.prefix(vectors[v], e);
      }
      for (int h = 0; h < heads.size(); h++) {
        int q = SupernetDims.HEAD_DIM * heads.get(h);
        referenceHeads[l][i][h] = new float[] {
            sum.interleavedRows(ReferenceKeys.qkvWeight(l), superE, q, e),
            sum.interleavedRows(ReferenceKeys.qkvBias(l), 1, q, 1),
            sum.rows(ReferenceKeys.projWeight(l), superE, 0, 1, e, q)};
      }
      for (int r = 0; r < ratios.length; r++) {
        int f = (int) (e * ratios[r]);
        referenceMlp[l][i][r] = new float[] {
            sum.rows(ReferenceKeys.fc1Weight(l), superE, 0, 1, f, e),
            sum.prefix(ReferenceKeys.fc1Bias(l), f),
            sum.rows(ReferenceKeys.fc2Weight(l), superF, 0, 1, e, f)};
      }
    }
  }

  /** {@code int(E·r)} for every (E, r), E-major. */
  private int[] hiddenWidths() {
    int[] units = new int[embedDims.size() * ratios.length];
    for (int i = 0; i < embedDims.size(); i++) {
      for (int r = 0; r < ratios.length; r++) units[i * ratios.length + r] = (int) (embedDims.get(i) * ratios[r]);
    }
    return units;
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

  private static double[][] leading(SnipInputs in, String key, int rows, int cols, int[] rowCuts, int[] colCuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), rows, cols, rowCuts, colCuts, ABS_PRODUCT);
  }

  private static double[] vector(SnipInputs in, String key, int[] cuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), cuts, Term.ABS_PRODUCT);
  }

  private static int[] cuts(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] lookup(List<Integer> values) {
    int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
    int[] index = new int[max + 1];
    java.util.Arrays.fill(index, -1);
    for (int i = 0; i < values.size(); i++) index[values.get(i)] = i;
    return index;
  }

  private int embedIndexOf(Architecture arch) {
    int d = arch.embedDim();
    if (d >= embedIndex.length || embedIndex[d] < 0) {
      throw new SelectorException("embed_dim " + d + " is not one of " + embedDims);
    }
    return embedIndex[d];
  }

  private int headIndexOf(Architecture arch, int layer) {
    int h = arch.heads(layer);
    if (h >= headIndex.length || headIndex[h] < 0) {
      throw new SelectorException("layer " + layer + " has " + h + " heads, not a choice of the space");
    }
    return headIndex[h];
  }

  private int ratioIndexOf(Architecture arch, int layer) {
    double r = arch.mlpRatio(layer);
    for (int i = 0; i < ratios.length; i++) {
      if (ratios[i] == r) return i;
    }
    throw new SelectorException("layer " + layer + " has MLP ratio " + r + ", not a choice of the space");
  }
}
