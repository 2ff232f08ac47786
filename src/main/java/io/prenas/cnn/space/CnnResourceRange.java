package io.prenas.cnn.space;

import io.prenas.space.ResourceRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;
import java.util.function.ToLongFunction;

/**
 * The exact smallest and largest params and FLOPs of a CNN space without enumerating its architectures (2.4e12 for
 * bignas-mbv2). A network's cost is a sum of parts whose only coupling is the width handed from one stage to the next
 * (FeatureSides: spatial sides do not depend on choices), so a dynamic program over stages with the previous width as
 * its state finds each extreme exactly: per layer the kernels are independent, so the best kernel sequence is the best
 * kernel per layer; per stage and input width, the best (width, depth) plus the best completion from that width.
 *
 * <p>No monotonicity is assumed (a larger width need not cost more in every part), so the result is exact for any
 * space the format allows.
 */
final class CnnResourceRange {

  private final CnnSpace space;
  private final ToLongFunction<LayerCost> metric;
  private final LongBinaryOperator better;

  private CnnResourceRange(CnnSpace space, ToLongFunction<LayerCost> metric, LongBinaryOperator better) {
    this.space = space;
    this.metric = metric;
    this.better = better;
  }

  static ResourceRange of(CnnSpace space) {
    long minParams = new CnnResourceRange(space, LayerCost::params, Math::min).overResolutions();
    long maxParams = new CnnResourceRange(space, LayerCost::params, Math::max).overResolutions();
    long minFlops = new CnnResourceRange(space, LayerCost::flops, Math::min).overResolutions();
    long maxFlops = new CnnResourceRange(space, LayerCost::flops, Math::max).overResolutions();
    return new ResourceRange(minParams, maxParams, minFlops, maxFlops);
  }

  private long overResolutions() {
    long result = extremeAt(space.resolutions().get(0));
    for (int r : space.resolutions()) {
      result = better.applyAsLong(result, extremeAt(r));
    }
    return result;
  }

  /** The extreme over all architectures at one resolution, from the head backwards to the stem. */
  private long extremeAt(int resolution) {
    CnnComplexity parts = CnnComplexity.at(space, resolution);
    List<StageChoices> stages = space.stages();
    // completion.get(c): the extreme cost of everything after the current stage, entered with width c.
    Map<Integer, Long> completion = new HashMap<>();
    for (int cL : stages.get(stages.size() - 1).widths()) {
      completion.put(cL, extreme(space.headWidths(), h -> metric.applyAsLong(parts.head(cL, h))));
    }
    for (int s = stages.size() - 1; s >= 0; s--) {
      List<Integer> inputWidths = s == 0 ? space.stem().widths() : stages.get(s - 1).widths();
      Map<Integer, Long> before = new HashMap<>();
      for (int cIn : inputWidths) {
        before.put(cIn, stageFrom(parts, s, cIn, completion));
      }
      completion = before;
    }
    Map<Integer, Long> afterStem = completion;
    return extreme(space.stem().widths(), c0 -> metric.applyAsLong(parts.stem(c0)) + afterStem.get(c0));
  }

  /** The extreme cost of stage s entered with width cIn, plus the extreme completion after it. */
  private long stageFrom(CnnComplexity parts, int s, int cIn, Map<Integer, Long> completion) {
    StageChoices stage = space.stages().get(s);
    Long best = null;
    for (int w : stage.widths()) {
      for (int d : stage.depths()) {
        long cost = completion.get(w);
        for (int j = 0; j < d; j++) {
          int layerIn = j == 0 ? cIn : w;
          int layer = j;
          cost += extreme(stage.kernels(), k -> metric.applyAsLong(parts.layer(s, layer, layerIn, w, k)));
        }
        best = best == null ? cost : better.applyAsLong(best, cost);
      }
    }
    return best;
  }

  private long extreme(List<Integer> choices, ToLongFunction<Integer> cost) {
    long result = cost.applyAsLong(choices.get(0));
    for (int choice : choices) {
      result = better.applyAsLong(result, cost.applyAsLong(choice));
    }
    return result;
  }
}
