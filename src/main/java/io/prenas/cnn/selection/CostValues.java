package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnComplexity;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.LayerCost;
import java.util.function.ToLongFunction;

/**
 * Params or FLOPs (MACs) as the value the exact search ranks by: its "best" architectures of a bin are then the
 * largest ones, the baseline the selector is compared with. Counts stay below 2^53, so the doubles are exact and the
 * search's sums equal the counts.
 */
final class CostValues implements PartValues {

  private final CnnSpace space;
  private final int resolution;
  private final CnnComplexity cost;
  private final ToLongFunction<LayerCost> measure;

  CostValues(CnnSpace space, int resolution, ToLongFunction<LayerCost> measure) {
    this.space = space;
    this.resolution = resolution;
    this.cost = CnnComplexity.at(space, resolution);
    this.measure = measure;
  }

  @Override
  public int resolution() {
    return resolution;
  }

  @Override
  public double stemAt(int c0Index) {
    return measure.applyAsLong(cost.stem(space.stem().widths().get(c0Index)));
  }

  @Override
  public double layerAt(int s, int j, int cInIndex, int cOutIndex, int kIndex) {
    var stage = space.stages().get(s);
    int cIn = j == 0 ? CnnSnipTable.inputWidths(space, s).get(cInIndex) : stage.widths().get(cInIndex);
    return measure.applyAsLong(cost.layer(s, j, cIn, stage.widths().get(cOutIndex), stage.kernels().get(kIndex)));
  }

  @Override
  public double headAt(int cLIndex, int hIndex) {
    return measure.applyAsLong(cost.head(CnnSnipTable.lastWidths(space).get(cLIndex), space.headWidths().get(hIndex)));
  }
}
