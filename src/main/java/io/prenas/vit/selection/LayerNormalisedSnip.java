package io.prenas.vit.selection;

import static io.prenas.selector.RegionSums.Term.ABS_GRAD;
import static io.prenas.selector.RegionSums.Term.ABS_PRODUCT;
import static io.prenas.selector.RegionSums.Term.ABS_WEIGHT;

import io.prenas.selector.RegionSums;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer-normalised SNIP block scores, the reference's {@code balance_taylor6_max_dim} (spec 4.2, paper Eq. 13).
 *
 * <p>Only the qkv, fc1 and fc2 weights are used. Each tensor's |θ·g| is divided by Σ|θ| · Σ|g| of the same tensor
 * restricted to the first {@code E_max} input features (fc2: output rows), which removes the larger raw gradients of
 * the lower layers that make plain SNIP prefer wide lower blocks (paper Appendix A). A head score sums the qkv rows of
 * the heads added by one head choice over the next-smaller one; an MLP score sums the fc1 rows and fc2 columns of the
 * hidden units added by one ratio over the next-smaller one.
 */
public final class LayerNormalisedSnip {

  private LayerNormalisedSnip() {}

  /** Scores for every embedding width of the space and every non-smallest head and MLP choice. */
  public static BlockScoreTable compute(VitSpace space, SnipInputs inputs) {
    SupernetDims sup = space.supernet();
    int superE = sup.embedDim();
    int superF = sup.ffnDim();
    int maxE = space.maxEmbedDim();
    List<Integer> heads = space.sortedNumHeads();
    List<Double> ratios = space.sortedMlpRatios();
    List<Integer> embedDims = space.embedDims();
    checkFits(space);

    int[] headRowCuts = heads.stream().mapToInt(h -> 3 * SupernetDims.HEAD_DIM * h).toArray();
    int[] embedCuts = embedDims.stream().mapToInt(Integer::intValue).toArray();
    int[] unitCuts = hiddenUnitCuts(embedDims, ratios);

    Map<String, List<Float>> headScores = new LinkedHashMap<>();
    Map<String, List<Float>> mlpScores = new LinkedHashMap<>();
    for (int e : embedDims) {
      for (int j = 1; j < heads.size(); j++) headScores.put(BlockScoreTable.key(e, heads.get(j)), new ArrayList<>());
      for (int j = 1; j < ratios.size(); j++) mlpScores.put(BlockScoreTable.key(e, ratios.get(j)), new ArrayList<>());
    }

    int layers = space.maxDepth();
    for (int l = 0; l < layers; l++) {
      String qkv = ReferenceKeys.qkvWeight(l);
      String fc1 = ReferenceKeys.fc1Weight(l);
      String fc2 = ReferenceKeys.fc2Weight(l);
      inputs.requireShape(qkv, 3L * superE, superE);
      inputs.requireShape(fc1, superF, superE);
      inputs.requireShape(fc2, superE, superF);

      // qkv and fc1: [rows, E_s], normalised over all rows and the first E_max columns.
      double qkvNorm = normaliser(inputs, qkv, 3 * superE, superE, 3 * superE, maxE);
      double fc1Norm = normaliser(inputs, fc1, superF, superE, superF, maxE);
      // fc2: [E_s, F_s], normalised over the first E_max rows and all columns.
      double fc2Norm = normaliser(inputs, fc2, superE, superF, maxE, superF);

      double[][] qkvSums = RegionSums.leading(inputs.weight(qkv), inputs.grad(qkv), 3 * superE, superE,
          headRowCuts, embedCuts, ABS_PRODUCT);
      double[][] fc1Sums = RegionSums.leading(inputs.weight(fc1), inputs.grad(fc1), superF, superE,
          unitCuts, embedCuts, ABS_PRODUCT);
      double[][] fc2Sums = RegionSums.leading(inputs.weight(fc2), inputs.grad(fc2), superE, superF,
          embedCuts, unitCuts, ABS_PRODUCT);

      for (int ei = 0; ei < embedDims.size(); ei++) {
        int e = embedDims.get(ei);
        for (int j = 1; j < heads.size(); j++) {
          double added = qkvSums[j][ei] - qkvSums[j - 1][ei];
          headScores.get(BlockScoreTable.key(e, heads.get(j))).add((float) (added / qkvNorm));
        }
        for (int j = 1; j < ratios.size(); j++) {
          int u0 = indexOf(unitCuts, (int) (e * ratios.get(j - 1)));
          int u1 = indexOf(unitCuts, (int) (e * ratios.get(j)));
          // The reference adds two float32 scalars (fc1 part + fc2 part).
          float fc1Part = (float) ((fc1Sums[u1][ei] - fc1Sums[u0][ei]) / fc1Norm);
          float fc2Part = (float) ((fc2Sums[ei][u1] - fc2Sums[ei][u0]) / fc2Norm);
          mlpScores.get(BlockScoreTable.key(e, ratios.get(j))).add(fc1Part + fc2Part);
        }
      }
    }
    return new BlockScoreTable(headScores, mlpScores);
  }

  /** Σ|θ| · Σ|g| over the leading {@code rows × cols} block, each factor rounded to float32 as the reference's. */
  private static double normaliser(SnipInputs inputs, String key, int tensorRows, int tensorCols, int rows, int cols) {
    float[] w = inputs.weight(key);
    float[] g = inputs.grad(key);
    int[] r = {rows};
    int[] c = {cols};
    float sumW = (float) RegionSums.leading(w, g, tensorRows, tensorCols, r, c, ABS_WEIGHT)[0][0];
    float sumG = (float) RegionSums.leading(w, g, tensorRows, tensorCols, r, c, ABS_GRAD)[0][0];
    if (sumW == 0 || sumG == 0) {
      throw new SelectorException("tensor '" + key + "' has an all-zero " + (sumW == 0 ? "weight" : "gradient")
          + " slice; layer-normalised SNIP needs every block of the max architecture to receive gradient (with "
          + "drop-path, a very small batch can drop a whole block: use a larger batch or --drop-path 0)");
    }
    return (double) sumW * sumG;
  }

  /** Every hidden width {@code int(E·r)} of the space, with 0 first (the start of the smallest choice's range). */
  static int[] hiddenUnitCuts(List<Integer> embedDims, List<Double> ratios) {
    List<Integer> cuts = new ArrayList<>();
    cuts.add(0);
    for (int e : embedDims) {
      for (double r : ratios) cuts.add((int) (e * r));
    }
    return cuts.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
  }

  private static int indexOf(int[] sorted, int value) {
    return java.util.Arrays.binarySearch(sorted, value);
  }

  /** The space's largest slices must fit the supernet tensors. */
  static void checkFits(VitSpace space) {
    SupernetDims sup = space.supernet();
    if (space.maxEmbedDim() > sup.embedDim()) {
      throw new SelectorException("EMBED_DIM " + space.maxEmbedDim() + " exceeds the supernet width "
          + sup.embedDim());
    }
    int maxHeads = space.sortedNumHeads().get(space.sortedNumHeads().size() - 1);
    if (maxHeads * SupernetDims.HEAD_DIM > sup.embedDim()) {
      throw new SelectorException(maxHeads + " heads need " + maxHeads * SupernetDims.HEAD_DIM
          + " qkv features, the supernet has " + sup.embedDim());
    }
    double maxRatio = space.sortedMlpRatios().get(space.sortedMlpRatios().size() - 1);
    int widest = (int) (space.maxEmbedDim() * maxRatio);
    if (widest > sup.ffnDim()) {
      throw new SelectorException("MLP width " + widest + " exceeds the supernet hidden width " + sup.ffnDim());
    }
  }
}
