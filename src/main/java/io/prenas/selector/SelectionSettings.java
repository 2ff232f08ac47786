package io.prenas.selector;

import io.prenas.space.Resource;

/**
 * How candidates are binned and how many are kept (paper Eq. 8): bins {@code [min + k·interval, min + (k+1)·interval)}
 * up to {@code max}, in M params or G FLOPs, and the {@code topN} best scores of each bin.
 */
public record SelectionSettings(Resource binBy, double min, double max, double interval, int topN) {

  public SelectionSettings {
    if (binBy == null) throw new SelectorException("bin-by must be params or flops");
    if (!Double.isFinite(min) || !Double.isFinite(max) || !Double.isFinite(interval)) {
      throw new SelectorException("bounds and interval must be finite numbers");
    }
    if (!(min < max)) {
      throw new SelectorException("lower bound " + min + " must be below the upper bound " + max + " ("
          + binBy.unit() + (binBy == Resource.PARAMS ? " params)" : " FLOPs)"));
    }
    if (!(interval > 0)) throw new SelectorException("interval must be positive, got " + interval);
    if (min < 0) throw new SelectorException("lower bound must not be negative, got " + min);
    if (topN < 1) throw new SelectorException("top must be at least 1, got " + topN);
  }

  /** "params" or "flops", as written in output files. */
  public String binByName() {
    return binBy.name().toLowerCase(java.util.Locale.ROOT);
  }
}
