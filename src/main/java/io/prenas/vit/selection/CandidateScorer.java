package io.prenas.vit.selection;

import static io.prenas.selector.RegionSums.Term.ABS_PRODUCT;

import io.prenas.selector.RegionSums.Term;
import io.prenas.selector.RegionSums;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
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
 * O(depth) numbers. One subclass per {@link ScoreMode}: {@link SubnetScorer} (the exact subnet, double sums) and
 * {@link ReferenceScorer} (the reference's tensor set, float32 in PyTorch's order); this class holds what both
 * share: the choice lookups, the tensor shape checks and the parallel per-layer pass.
 */
public abstract sealed class CandidateScorer permits SubnetScorer, ReferenceScorer {

  final List<Integer> embedDims;
  final double[] ratios; // sorted MLP choices
  final int layers;
  private final int[] embedIndex; // E -> index, -1 if absent
  private final int[] headIndex; // h -> index into the sorted head choices, -1 if absent

  CandidateScorer(VitSpace space) {
    this.embedDims = space.embedDims();
    this.embedIndex = lookup(embedDims);
    this.headIndex = lookup(space.sortedNumHeads());
    this.ratios = space.sortedMlpRatios().stream().mapToDouble(Double::doubleValue).toArray();
    this.layers = space.maxDepth();
  }

  /**
   * The partial sums of one score mode, from the weights and gradients of the space's supernet.
   *
   * @param threads layers are summed in parallel on this many threads (1 = the calling thread only)
   */
  public static CandidateScorer precompute(VitSpace space, SnipInputs inputs, ScoreMode mode, int threads) {
    LayerNormalisedSnip.checkFits(space);
    CandidateScorer scorer = mode == ScoreMode.REFERENCE ? new ReferenceScorer(space) : new SubnetScorer(space);
    scorer.checkGlobalShapes(space, inputs);
    scorer.fillGlobal(space, inputs);
    if (threads <= 1) {
      for (int l = 0; l < scorer.layers; l++) scorer.fillLayerChecked(space, inputs, l);
      return scorer;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int l = 0; l < scorer.layers; l++) {
        int layer = l;
        done.add(pool.submit(() -> scorer.fillLayerChecked(space, inputs, layer)));
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

  public abstract ScoreMode mode();

  /** The candidate's score (in {@link ScoreMode#REFERENCE}, a float32 value widened to double). */
  public double score(VitArchitecture arch) {
    int e = embedIndexOf(arch);
    if (arch.depth() > layers) {
      throw new SelectorException("depth " + arch.depth() + " exceeds the precomputed " + layers + " layers");
    }
    return score(arch, e);
  }

  /** The score of a candidate whose embedding width has index {@code e}. */
  abstract double score(VitArchitecture arch, int e);

  /** The sums over the tensors outside the blocks (patch embedding, norm, head, ...). */
  abstract void fillGlobal(VitSpace space, SnipInputs in);

  /** The sums over block {@code l}'s tensors (called from several threads, one layer each). */
  abstract void fillLayer(VitSpace space, SnipInputs in, int l);

  private void checkGlobalShapes(VitSpace space, SnipInputs in) {
    SupernetDims sup = space.supernet();
    ModelSettings model = space.model();
    int superE = sup.embedDim();
    int classes = model.numClasses();
    in.requireShape(ReferenceKeys.PATCH_WEIGHT, superE, model.inChans(), model.patchSize(), model.patchSize());
    in.requireShape(ReferenceKeys.PATCH_BIAS, superE);
    in.requireShape(ReferenceKeys.NORM_WEIGHT, superE);
    in.requireShape(ReferenceKeys.NORM_BIAS, superE);
    in.requireShape(ReferenceKeys.HEAD_WEIGHT, classes, superE);
    in.requireShape(ReferenceKeys.HEAD_BIAS, classes);
  }

  private void fillLayerChecked(VitSpace space, SnipInputs in, int l) {
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
    fillLayer(space, in, l);
  }

  /** proj.bias, LN1 weight and bias, fc2.bias, LN2 weight and bias: vectors of E_s sliced to E. */
  static String[] layerVectors(int l) {
    return new String[] {ReferenceKeys.projBias(l), ReferenceKeys.ln1Weight(l), ReferenceKeys.ln1Bias(l),
        ReferenceKeys.fc2Bias(l), ReferenceKeys.ln2Weight(l), ReferenceKeys.ln2Bias(l)};
  }

  /** {@code int(E·r)} for every (E, r), E-major. */
  int[] hiddenWidths() {
    int[] units = new int[embedDims.size() * ratios.length];
    for (int i = 0; i < embedDims.size(); i++) {
      for (int r = 0; r < ratios.length; r++) units[i * ratios.length + r] = (int) (embedDims.get(i) * ratios[r]);
    }
    return units;
  }

  static double[][] leading(SnipInputs in, String key, int rows, int cols, int[] rowCuts, int[] colCuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), rows, cols, rowCuts, colCuts, ABS_PRODUCT);
  }

  static double[] vector(SnipInputs in, String key, int[] cuts) {
    return RegionSums.leading(in.weight(key), in.grad(key), cuts, Term.ABS_PRODUCT);
  }

  static int[] cuts(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] lookup(List<Integer> values) {
    int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
    int[] index = new int[max + 1];
    java.util.Arrays.fill(index, -1);
    for (int i = 0; i < values.size(); i++) index[values.get(i)] = i;
    return index;
  }

  private int embedIndexOf(VitArchitecture arch) {
    int d = arch.embedDim();
    if (d >= embedIndex.length || embedIndex[d] < 0) {
      throw new SelectorException("embed_dim " + d + " is not one of " + embedDims);
    }
    return embedIndex[d];
  }

  int headIndexOf(VitArchitecture arch, int layer) {
    int h = arch.heads(layer);
    if (h >= headIndex.length || headIndex[h] < 0) {
      throw new SelectorException("layer " + layer + " has " + h + " heads, not a choice of the space");
    }
    return headIndex[h];
  }

  int ratioIndexOf(VitArchitecture arch, int layer) {
    double r = arch.mlpRatio(layer);
    for (int i = 0; i < ratios.length; i++) {
      if (ratios[i] == r) return i;
    }
    throw new SelectorException("layer " + layer + " has MLP ratio " + r + ", not a choice of the space");
  }
}
