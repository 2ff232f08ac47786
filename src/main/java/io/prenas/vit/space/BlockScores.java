package io.prenas.vit.space;

import java.util.Map;

/**
 * Per-layer block scores that drive the greedy isomer allocation (spec 4.2): for every choice except the smallest,
 * one score per layer of the max-depth net, measuring the extra units gained by stepping up to that choice from the
 * next smaller one. The reference always uses the scores of the largest embedding width ({@code max_dim}).
 */
public interface BlockScores {

  /** Scores of stepping up to {@code ratio} (reference key {@code "E_max,ratio"}), one per layer. */
  double[] mlp(double ratio);

  /** Scores of stepping up to {@code heads} heads (reference key {@code "E_max,heads"}), one per layer. */
  double[] heads(int heads);

  /**
   * Scores given as the reference's keyed maps ({@code ScoreMaker.get_block_scores}, e.g. fixture
   * {@code block_scores.json}): keys {@code "E,choice"}; only the keys of {@code embedDim} are used. Choices are
   * matched by value, so {@code "240,4"} and {@code "240,4.0"} both serve the ratio 4.0.
   */
  static BlockScores fromKeyed(int embedDim, Map<String, double[]> headScores, Map<String, double[]> mlpScores) {
    return KeyedBlockScores.of(embedDim, headScores, mlpScores);
  }
}
