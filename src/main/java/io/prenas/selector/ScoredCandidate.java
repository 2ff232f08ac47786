package io.prenas.selector;

import io.prenas.space.Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One enumerated architecture with its cost and score.
 *
 * @param index position in the enumeration order (the reference's order, which breaks score ties)
 * @param params parameter count (the reference's {@code get_sampled_params_numel})
 * @param flops FLOPs in the reference's {@code get_complexity} convention
 * @param score SNIP score Σ|θ·g| in the selection's {@link ScoreMode}
 * @param isomerGroupSize how many architectures share this one's width, depth and per-choice layer counts; the
 *     allocation picked this one to stand for all of them
 */
public record ScoredCandidate(int index, Architecture architecture, long params, double flops, double score,
    long isomerGroupSize) {

  /** {@code D!/Π(count!)} for the MLP ratios times the same for the head counts. */
  public static long isomerGroupSize(Architecture arch) {
    return arrangements(arch.mlpRatios()) * arrangements(arch.numHeads());
  }

  /** Distinct orderings of a multiset, built as a product of binomials so intermediate values stay small. */
  private static <T> long arrangements(List<T> layers) {
    Map<T, Integer> counts = new HashMap<>();
    for (T v : layers) counts.merge(v, 1, Integer::sum);
    long total = 1;
    int placed = 0;
    for (int count : counts.values()) {
      placed += count;
      total = Math.multiplyExact(total, binomial(placed, count));
    }
    return total;
  }

  private static long binomial(int n, int k) {
    long result = 1;
    for (int i = 1; i <= k; i++) result = result * (n - k + i) / i; // exact: each prefix is a binomial
    return result;
  }
}
