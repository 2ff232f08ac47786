package io.prenas.vit.space;

import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reference's exhaustive "iteration" search order (spec 4.4): for each embed dim and depth in file order, every
 * split of the layers over the MLP choices and over the head choices, MLP outer and heads inner, one architecture per
 * isomer group, built by {@link GreedyAllocator}.
 *
 * <p>Splits come from {@code itertools.combinations(range(D+1), K-1)}: strictly increasing cut points, so with three
 * or more choices every middle choice gets at least one layer (the reference never enumerates, say, "all layers
 * 3.0 or 4.0" in a 3-ratio space). This is reproduced on purpose.
 *
 * <p>Layer-wise spaces: the reference defines no enumeration for them, so {@link #groups} and {@link #enumerate}
 * refuse them. {@link #countGroups} instead counts the isomer groups such a space can reach (every per-layer choice
 * combination, including empty middle choices), which is what describes its size in isomer terms.
 */
public final class IsomerEnumerator {

  private IsomerEnumerator() {}

  /**
   * Layer counts per choice for {@code numChoices} choices over {@code depth} layers, in
   * {@code itertools.combinations(range(depth + 1), numChoices - 1)} order.
   */
  public static List<int[]> countVectors(int depth, int numChoices) {
    if (depth <= 0 || numChoices <= 0) {
      throw new IllegalArgumentException("depth and number of choices must be positive");
    }
    List<int[]> result = new ArrayList<>();
    int cutsNeeded = numChoices - 1;
    int[] cuts = new int[cutsNeeded];
    for (int i = 0; i < cutsNeeded; i++) {
      cuts[i] = i;
    }
    if (cutsNeeded > depth + 1) {
      return result; // combinations of more items than the pool has: none
    }
    while (true) {
      result.add(countsFromCuts(cuts, depth));
      // Next combination in lexicographic order (as itertools does).
      int i = cutsNeeded - 1;
      while (i >= 0 && cuts[i] == depth + 1 - cutsNeeded + i) {
        i--;
      }
      if (i < 0) {
        return result;
      }
      cuts[i]++;
      for (int j = i + 1; j < cutsNeeded; j++) {
        cuts[j] = cuts[j - 1] + 1;
      }
    }
  }

  private static int[] countsFromCuts(int[] cuts, int depth) {
    int[] bounds = new int[cuts.length + 2];
    System.arraycopy(cuts, 0, bounds, 1, cuts.length);
    bounds[bounds.length - 1] = depth;
    int[] counts = new int[bounds.length - 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = bounds[i + 1] - bounds[i];
    }
    return counts;
  }

  /** All isomer groups of a flat space, in the reference's enumeration order. */
  public static List<IsomerGroup> groups(VitSpace space) {
    requireFlat(space);
    int mlpChoices = space.sortedMlpRatios().size();
    int headChoices = space.sortedNumHeads().size();
    List<IsomerGroup> groups = new ArrayList<>();
    for (int e : space.embedDims()) {
      for (int d : space.depths()) {
        List<int[]> headVectors = countVectors(d, headChoices);
        for (int[] mlp : countVectors(d, mlpChoices)) {
          for (int[] heads : headVectors) {
            groups.add(new IsomerGroup(e, d, boxed(mlp), boxed(heads)));
          }
        }
      }
    }
    return groups;
  }

  /**
   * Every architecture the reference's search scores, in its order: one per isomer group, allocated from the block
   * scores (allocations are computed once per depth and count vector, as the reference does).
   */
  public static List<VitArchitecture> enumerate(VitSpace space, BlockScores scores) {
    requireFlat(space);
    List<VitArchitecture> result = new ArrayList<>();
    int mlpChoices = space.sortedMlpRatios().size();
    int headChoices = space.sortedNumHeads().size();
    for (int e : space.embedDims()) {
      for (int d : space.depths()) {
        List<List<Double>> mlpConfs = new ArrayList<>();
        for (int[] counts : countVectors(d, mlpChoices)) {
          mlpConfs.add(allocateMlp(space, d, boxed(counts), scores));
        }
        List<List<Integer>> headConfs = new ArrayList<>();
        for (int[] counts : countVectors(d, headChoices)) {
          headConfs.add(allocateHeads(space, d, boxed(counts), scores));
        }
        for (List<Double> mlp : mlpConfs) {
          for (List<Integer> heads : headConfs) {
            result.add(new VitArchitecture(e, d, mlp, heads));
          }
        }
      }
    }
    return result;
  }

  /**
   * Number of isomer groups: for a flat space, how many the reference enumerates
   * ({@code sum_E sum_D C(D+1, K_mlp-1) * C(D+1, K_heads-1)}); for a layer-wise space, how many distinct
   * (width, depth, MLP counts, head counts) its per-layer choices can reach.
   */
  public static long countGroups(VitSpace space) {
    if (space.isLayerwise()) {
      return countReachableGroups(space);
    }
    long total = 0;
    int mlpChoices = space.sortedMlpRatios().size();
    int headChoices = space.sortedNumHeads().size();
    for (int ignored : space.embedDims()) {
      for (int d : space.depths()) {
        total += binomial(d + 1, mlpChoices - 1) * binomial(d + 1, headChoices - 1);
      }
    }
    return total;
  }

  static List<Double> allocateMlp(VitSpace space, int depth, List<Integer> counts, BlockScores scores) {
    List<Double> choices = space.sortedMlpRatios();
    List<double[]> above = new ArrayList<>();
    for (int k = 1; k < choices.size(); k++) {
      above.add(scores.mlp(choices.get(k)));
    }
    return GreedyAllocator.allocate(depth, choices, unboxed(counts), above);
  }

  static List<Integer> allocateHeads(VitSpace space, int depth, List<Integer> counts, BlockScores scores) {
    List<Integer> choices = space.sortedNumHeads();
    List<double[]> above = new ArrayList<>();
    for (int k = 1; k < choices.size(); k++) {
      above.add(scores.heads(choices.get(k)));
    }
    return GreedyAllocator.allocate(depth, choices, unboxed(counts), above);
  }

  private static long countReachableGroups(VitSpace space) {
    long total = 0;
    for (int e : space.embedDims()) {
      LayerwiseChoices choices = space.choicesFor(e);
      for (int d : choices.depths()) {
        total += (long) reachableCounts(choices.mlpRatiosPerLayer(), space.sortedMlpRatios(), d).size()
            * reachableCounts(choices.numHeadsPerLayer(), space.sortedNumHeads(), d).size();
      }
    }
    return total;
  }

  /** The distinct count vectors reachable by picking one allowed value per layer over the first {@code depth}. */
  private static <T> Set<List<Integer>> reachableCounts(List<List<T>> perLayer, List<T> sortedChoices, int depth) {
    Set<List<Integer>> reached = new HashSet<>();
    reached.add(new ArrayList<>(Collections.nCopies(sortedChoices.size(), 0)));
    for (int layer = 0; layer < depth; layer++) {
      Set<List<Integer>> next = new HashSet<>();
      for (List<Integer> counts : reached) {
        for (T value : perLayer.get(layer)) {
          List<Integer> grown = new ArrayList<>(counts);
          int k = sortedChoices.indexOf(value);
          grown.set(k, grown.get(k) + 1);
          next.add(grown);
        }
      }
      reached = next;
    }
    return reached;
  }

  private static long binomial(int n, int k) {
    if (k < 0 || k > n) {
      return 0;
    }
    long result = 1;
    for (int i = 1; i <= k; i++) {
      result = result * (n - k + i) / i;
    }
    return result;
  }

  private static void requireFlat(VitSpace space) {
    if (space.isLayerwise()) {
      throw new SpaceException("SEARCH_SPACE", "space " + space.name() + " is layer-wise (per-embed-dim DEPTH, "
          + "MLP_RATIO and NUM_HEADS); isomer enumeration is defined only for flat spaces such as autoformer-tiny");
    }
  }

  private static List<Integer> boxed(int[] values) {
    List<Integer> list = new ArrayList<>(values.length);
    for (int v : values) {
      list.add(v);
    }
    return list;
  }

  private static int[] unboxed(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
