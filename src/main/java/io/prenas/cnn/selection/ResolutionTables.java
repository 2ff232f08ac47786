package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnComplexity;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import io.prenas.cnn.space.StageChoices;
import io.prenas.space.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The dynamic-programming tables of one resolution (spec cnn-space §8, steps 1-3): the stem's cost and score per
 * width, every stage option per (stage, input width) with its summed cost and layer scores, the head + classifier per
 * (c_L, H), and backwards from the head the suffix Pareto fronts and the exact largest completion cost per (stage,
 * input width). Stage S (one past the last) is the head, entered with the last stage's width.
 *
 * <p>The cost is the measure the bins use: FLOPs (MACs, which depend on the resolution) or params. Both are additive
 * over parts (spec §8, "Additivity").
 */
final class ResolutionTables {

  final int resolution;
  final int stages;
  final long[] stemCost;
  final double[] stemScore;
  /** [stage][input width index] → the stage's options. */
  final StageOption[][][] options;
  /** [c_L index][H index]. */
  final long[][] headCost;
  final double[][] headScore;
  /** [stage 0..S][input width index]: the completions' front and their largest cost. */
  final ParetoFront[][] fronts;
  final long[][] maxCompletion;

  private ResolutionTables(int resolution, long[] stemCost, double[] stemScore, StageOption[][][] options,
      long[][] headCost, double[][] headScore) {
    this.resolution = resolution;
    this.stages = options.length;
    this.stemCost = stemCost;
    this.stemScore = stemScore;
    this.options = options;
    this.headCost = headCost;
    this.headScore = headScore;
    this.fronts = new ParetoFront[stages + 1][];
    this.maxCompletion = new long[stages + 1][];
    buildSuffixes();
  }

  static ResolutionTables build(CnnSpace space, PartValues values, Resource resource) {
    ToLongFunction<LayerCost> measure = resource == Resource.PARAMS ? LayerCost::params : LayerCost::flops;
    CnnComplexity cost = CnnComplexity.at(space, values.resolution());
    List<Integer> stemWidths = space.stem().widths();
    long[] stemCost = new long[stemWidths.size()];
    double[] stemScore = new double[stemWidths.size()];
    for (int i = 0; i < stemWidths.size(); i++) {
      stemCost[i] = measure.applyAsLong(cost.stem(stemWidths.get(i)));
      stemScore[i] = values.stemAt(i);
    }
    StageOption[][][] options = new StageOption[space.stages().size()][][];
    for (int s = 0; s < options.length; s++) {
      List<Integer> inputs = CnnSnipTable.inputWidths(space, s);
      options[s] = new StageOption[inputs.size()][];
      for (int ci = 0; ci < inputs.size(); ci++) {
        options[s][ci] = stageOptions(space, values, cost, measure, s, ci, inputs.get(ci));
      }
    }
    List<Integer> last = CnnSnipTable.lastWidths(space);
    long[][] headCost = new long[last.size()][space.headWidths().size()];
    double[][] headScore = new double[last.size()][space.headWidths().size()];
    for (int li = 0; li < last.size(); li++) {
      for (int hi = 0; hi < space.headWidths().size(); hi++) {
        headCost[li][hi] = measure.applyAsLong(cost.head(last.get(li), space.headWidths().get(hi)));
        headScore[li][hi] = values.headAt(li, hi);
      }
    }
    return new ResolutionTables(values.resolution(), stemCost, stemScore, options, headCost, headScore);
  }

  /** Every (width, depth, kernel per layer) of stage s entered with width cIn, in choice order. */
  private static StageOption[] stageOptions(CnnSpace space, PartValues values, CnnComplexity cost,
      ToLongFunction<LayerCost> measure, int s, int ci, int cIn) {
    StageChoices stage = space.stages().get(s);
    int kernels = stage.kernels().size();
    List<StageOption> result = new ArrayList<>();
    for (int wi = 0; wi < stage.widths().size(); wi++) {
      int w = stage.widths().get(wi);
      // layer terms per slot and kernel: slot 0 from cIn, later slots from w
      long[][] layerCost = new long[stage.maxDepth()][kernels];
      double[][] layerScore = new double[stage.maxDepth()][kernels];
      for (int j = 0; j < stage.maxDepth(); j++) {
        for (int ki = 0; ki < kernels; ki++) {
          layerCost[j][ki] = measure.applyAsLong(cost.layer(s, j, j == 0 ? cIn : w, w, stage.kernels().get(ki)));
          layerScore[j][ki] = values.layerAt(s, j, j == 0 ? ci : wi, wi, ki);
        }
      }
      for (int d : stage.depths()) {
        int[] ks = new int[d];
        int sequences = (int) Math.pow(kernels, d);
        for (int seq = 0; seq < sequences; seq++) {
          int rest = seq;
          for (int j = d - 1; j >= 0; j--) { // the first layer's kernel varies slowest: lexicographic order
            ks[j] = rest % kernels;
            rest /= kernels;
          }
          long c = 0;
          double[] scores = new double[d];
          double sum = 0;
          for (int j = 0; j < d; j++) {
            c += layerCost[j][ks[j]];
            scores[j] = layerScore[j][ks[j]];
            sum += scores[j];
          }
          result.add(new StageOption(wi, d, ks.clone(), c, scores, sum));
        }
      }
    }
    return result.toArray(StageOption[]::new);
  }

  /** Backwards from the head: the Pareto front and the largest cost of every completion. */
  private void buildSuffixes() {
    int lastCount = headCost.length;
    fronts[stages] = new ParetoFront[lastCount];
    maxCompletion[stages] = new long[lastCount];
    for (int li = 0; li < lastCount; li++) {
      fronts[stages][li] = ParetoFront.of(headCost[li], headScore[li]);
      long max = Long.MIN_VALUE;
      for (long c : headCost[li]) max = Math.max(max, c);
      maxCompletion[stages][li] = max;
    }
    for (int s = stages - 1; s >= 0; s--) {
      fronts[s] = new ParetoFront[options[s].length];
      maxCompletion[s] = new long[options[s].length];
      for (int ci = 0; ci < options[s].length; ci++) {
        List<ParetoFront.Shifted> parts = new ArrayList<>();
        long max = Long.MIN_VALUE;
        for (StageOption o : options[s][ci]) {
          parts.add(new ParetoFront.Shifted(fronts[s + 1][o.widthIndex()], o.cost(), o.score()));
          max = Math.max(max, Math.addExact(o.cost(), maxCompletion[s + 1][o.widthIndex()]));
        }
        fronts[s][ci] = ParetoFront.union(parts);
        maxCompletion[s][ci] = max;
      }
    }
  }

  /** Points in all fronts: the size of what the search consults. */
  int frontPoints() {
    int n = 0;
    for (ParetoFront[] level : fronts) for (ParetoFront f : level) n += f.size();
    return n;
  }

  int largestFront() {
    int n = 0;
    for (ParetoFront[] level : fronts) for (ParetoFront f : level) n = Math.max(n, f.size());
    return n;
  }
}
