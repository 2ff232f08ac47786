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
 * O(depth) numbers. Both {@link ScoreMode}s are precomputed together.
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

  private CandidateScorer(SearchSpace space) {
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
   * One pass over the weights and gradients of the space's supernet.
   *
   * @param threads layers are summed in parallel on this many threads (1 = the calling thread only)
   */
  public static CandidateScorer precompute(SearchSpace space, SnipInputs inputs, int threads) {
    LayerNormalisedSnip.checkFits(space);
    CandidateScorer scorer = new CandidateScorer(space);
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

  /** The candidate's score in the given mode (float32 values are returned widened to double). */
  public double score(Architecture arch, ScoreMode mode) {
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
    in.requireShape(ReferenceKeys.CLS_TOKEN, 1, 1, superE);
    in.requireShape(ReferenceKeys.POS_EMBED, 1, tokens, superE);
    in.requireShape(ReferenceKeys.NORM_WEIGHT, superE);
    in.requireShape(ReferenceKeys.NORM_BIAS, superE);
    in.requireShape(ReferenceKeys.HEAD_WEIGHT, classes, superE);
    in.requireShape(ReferenceKeys.HEAD_BIAS, classes);

    int[] e = cuts(embedDims);
    double[] patchW = column(leading(in, ReferenceKeys.PATCH_WEIGHT, superE, patchInputs, e, new int[] {patchInputs}));
    double[] patchB = vector(in, ReferenceKeys.PATCH_BIAS, e);
    double[] cls = vector(in, ReferenceKeys.CLS_TOKEN, e);
    double[] pos = leading(in, ReferenceKeys.POS_EMBED, tokens, superE, new int[] {tokens}, e)[0];
    double[] normW = vector(in, ReferenceKeys.NORM_WEIGHT, e);
    double[] normB = vector(in, ReferenceKeys.NORM_BIAS, e);
    double[] headW = leading(in, ReferenceKeys.HEAD_WEIGHT, classes, superE, new int[] {classes}, e)[0];
    double headBiasAll = vector(in, ReferenceKeys.HEAD_BIAS, new int[] {classes})[0];
    // The reference takes head.bias[:E]: the first E class biases (all of them when E >= classes).
    int[] firstE = embedDims.stream().mapToInt(d -> Math.min(d, classes)).toArray();
    double[] headBiasFirstE = vector(in, ReferenceKeys.HEAD_BIAS, firstE);

    for (int i = 0; i < embedDims.size(); i++) {
      subnetGlobal[i] = patchW[i] + patchB[i] + cls[i] + pos[i] + normW[i] + normB[i] + headW[i] + headBiasAll;
      float running = 0f;
      running += (float) patchW[i];
      running += (float) patchB[i];
      running += (float) normW[i];
      running += (float) normB[i];
      running += (float) headW[i];
      running += (float) headBiasFirstE[i];
      referenceGlobal[i] = running;
    }
  }

  private void fillLayer(SearchSpace space, SnipInputs in, int l) {
    SupernetDims sup = space.supernet();
    int superE = sup.embedDim();
    int superF = sup.ffnDim();
    List<Integer> heads = space.sortedNumHeads();
    int[] e = cuts(embedDims);
    int[] qkvRows = heads.stream().mapToInt(h -> 3 * SupernetDims.HEAD_DIM * h).toArray();
    int[] qDims = heads.stream().mapToInt(h -> SupernetDims.HEAD_DIM * h).toArray();

    in.requireShape(ReferenceKeys.qkvWeight(l), 3L * superE, superE);
    in.requireShape(ReferenceKeys.qkvBias(l), 3L * superE);
    in.requireShape(ReferenceKeys.projWeight(l), superE, superE);
    in.requireShape(ReferenceKeys.fc1Weight(l), superF, superE);
    in.requireShape(ReferenceKeys.fc1Bias(l), superF);
    in.requireShape(ReferenceKeys.fc2Weight(l), superE, superF);
    for (String k : new String[] {ReferenceKeys.projBias(l), ReferenceKeys.ln1Weight(l), ReferenceKeys.ln1Bias(l),
        ReferenceKeys.fc2Bias(l), ReferenceKeys.ln2Weight(l), ReferenceKeys.ln2Bias(l)}) {
      in.requireShape(k, superE);
    }

    // qkv: rows below 3·64·h are exactly the interleaved q, k and v rows of h heads; columns below E.
    double[][] qkvW = leading(in, ReferenceKeys.qkvWeight(l), 3 * superE, superE, qkvRows, e);
    double[] qkvB = vector(in, ReferenceKeys.qkvBias(l), qkvRows);
    double[][] projW = leading(in, ReferenceKeys.projWeight(l), superE, superE, e, qDims);
    double[] projB = vector(in, ReferenceKeys.projBias(l), e);
    double[] ln1W = vector(in, ReferenceKeys.ln1Weight(l), e);
    double[] ln1B = vector(in, ReferenceKeys.ln1Bias(l), e);
    double[] fc2B = vector(in, ReferenceKeys.fc2Bias(l), e);
    double[] ln2W = vector(in, ReferenceKeys.ln2Weight(l), e);
    double[] ln2B = vector(in, ReferenceKeys.ln2Bias(l), e);
    double relPos = 0;
    for (String table : ReferenceKeys.REL_POS_TABLES) {
      String key = ReferenceKeys.block(l, table);
      in.shape(key);
      relPos += RegionSums.total(in.weight(key), in.grad(key), ABS_PRODUCT);
    }

    int[] units = new int[embedDims.size() * ratios.length];
    for (int i = 0; i < embedDims.size(); i++) {
      for (int r = 0; r < ratios.length; r++) units[i * ratios.length + r] = (int) (embedDims.get(i) * ratios[r]);
    }
    double[][] fc1W = leading(in, ReferenceKeys.fc1Weight(l), superF, superE, units, e);
    double[] fc1B = vector(in, ReferenceKeys.fc1Bias(l), units);
    double[][] fc2W = leading(in, ReferenceKeys.fc2Weight(l), superE, superF, e, units);

    for (int i = 0; i < embedDims.size(); i++) {
      subnetLayerConst[l][i] = projB[i] + ln1W[i] + ln1B[i] + fc2B[i] + ln2W[i] + ln2B[i] + relPos;
      float[] c = referenceConst[l][i];
      c[Slot.PROJ_B.ordinal()] = (float) projB[i];
      c[Slot.LN1_W.ordinal()] = (float) ln1W[i];
      c[Slot.LN1_B.ordinal()] = (float) ln1B[i];
      c[Slot.FC2_B.ordinal()] = (float) fc2B[i];
      c[Slot.LN2_W.ordinal()] = (float) ln2W[i];
      c[Slot.LN2_B.ordinal()] = (float) ln2B[i];
      for (int h = 0; h < heads.size(); h++) {
        subnetLayerHeads[l][i][h] = qkvW[h][i] + qkvB[h] + projW[i][h];
        referenceHeads[l][i][h] = new float[] {(float) qkvW[h][i], (float) qkvB[h], (float) projW[i][h]};
      }
      for (int r = 0; r < ratios.length; r++) {
        int u = i * ratios.length + r;
        subnetLayerMlp[l][i][r] = fc1W[u][i] + fc1B[u] + fc2W[i][u];
        referenceMlp[l][i][r] = new float[] {(float) fc1W[u][i], (float) fc1B[u], (float) fc2W[i][u]};
      }
    }
  }

  private static double[][] leading(SnipInputs in, String key, int rows, int cols, int[] rowCuts, int[] colCuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), rows, cols, rowCuts, colCuts, ABS_PRODUCT);
  }

  private static double[] vector(SnipInputs in, String key, int[] cuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), cuts, Term.ABS_PRODUCT);
  }

  private static double[] column(double[][] m) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) out[i] = m[i][0];
    return out;
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
