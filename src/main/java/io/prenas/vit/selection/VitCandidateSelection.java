package io.prenas.vit.selection;

import io.prenas.selector.CandidateSelection;
import io.prenas.selector.Phases;
import io.prenas.selector.PreferredSelector;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.SearchSpace;
import io.prenas.vit.space.Complexity;
import io.prenas.vit.space.IsomerEnumerator;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ViT family's zero-cost selection (spec 4.2-4.5): layer-normalised SNIP block scores, the per-slice partial sums
 * of the score mode, one greedily allocated architecture per isomer group with its score, then the shared bins and
 * top-N.
 */
public final class VitCandidateSelection implements CandidateSelection {

  @Override
  public ZeroCostSelector.Outcome select(SearchSpace searchSpace, SnipInputs inputs, ScoreMode mode,
      SelectionSettings settings, int threads, Phases phases) {
    VitSpace space = VitSpace.of(searchSpace);
    BlockScoreTable blocks = phases.run(ZeroCostSelector.BLOCK_SCORES,
        () -> LayerNormalisedSnip.compute(space, inputs));
    CandidateScorer scorer = phases.run(ZeroCostSelector.PRECOMPUTE,
        () -> CandidateScorer.precompute(space, inputs, mode, threads));
    List<ScoredCandidate> candidates = phases.run(ZeroCostSelector.ENUMERATE_AND_SCORE,
        () -> enumerateAndScore(space, blocks, scorer));
    Selection selection = phases.run(ZeroCostSelector.SELECT, () -> PreferredSelector.select(candidates, settings));
    return new ZeroCostSelector.Outcome(candidates, selection);
  }

  /**
   * Every isomer group's representative, in the reference's enumeration order. The allocation always uses the block
   * scores of the widest embedding ({@code balance_taylor6_max_dim}), whatever the candidate's width.
   */
  public static List<ScoredCandidate> enumerateAndScore(VitSpace space, BlockScoreTable blockScores,
      CandidateScorer scorer) {
    List<VitArchitecture> archs = IsomerEnumerator.enumerate(space, blockScores.forAllocation(space.maxEmbedDim()));
    ModelSettings model = space.model();
    List<ScoredCandidate> scored = new ArrayList<>(archs.size());
    for (VitArchitecture arch : archs) {
      scored.add(new ScoredCandidate(scored.size(), arch, Complexity.params(arch, model),
          Complexity.flops(arch, model), scorer.score(arch), isomerGroupSize(arch)));
    }
    return scored;
  }


  /** {@code D!/Π(count!)} for the MLP ratios times the same for the head counts. */
  public static long isomerGroupSize(VitArchitecture arch) {
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
