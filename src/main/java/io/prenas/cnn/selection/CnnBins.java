package io.prenas.cnn.selection;

import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.space.PythonFloat;
import io.prenas.space.Resource;
import io.prenas.space.ResourceBins;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The bins of a CNN selection (spec cnn-space §8, "Bins"), computed exactly: [lo + kΔ, lo + (k+1)Δ) for k = 0, 1, …
 * while lo + (k+1)Δ ≤ hi, in raw units (MACs or params) from the settings' exact bounds, with no float addition. An
 * integer count c lies in bin k iff ⌈lo + kΔ⌉ ≤ c < ⌈lo + (k+1)Δ⌉, so every bin is an integer range. Keys are the
 * upper edge in millions, {@code str(hi / 1e6)} ("400.0" for 400 MFLOPs), for FLOPs and params alike.
 *
 * <p>This differs from the ViT bins on purpose: those follow the reference's float arithmetic in G FLOPs, whose keys
 * the ViT files use; a CNN's MAC counts are exact integers and the spec bins them exactly.
 */
record CnnBins(Resource resource, List<Bin> bins, BigDecimal interval) {

  /** One bin: integer costs in [lo, hiExclusive), its edges in bin units (M params or G FLOPs) and its key. */
  record Bin(int index, long lo, long hiExclusive, double lower, double upper, String key) {}

  static CnnBins of(SelectionSettings settings) {
    SelectionSettings.RawBounds raw = settings.exactBounds();
    BigDecimal lo = raw.min();
    BigDecimal width = raw.interval();
    BigInteger count = raw.max().subtract(lo).divide(width, 0, RoundingMode.FLOOR).toBigInteger();
    if (count.compareTo(BigInteger.valueOf(ResourceBins.MAX_BINS)) > 0) {
      throw new SelectorException("the interval " + width.toPlainString() + " gives more than "
          + ResourceBins.MAX_BINS + " bins between " + lo.toPlainString() + " and " + raw.max().toPlainString());
    }
    BigDecimal unit = settings.binBy() == Resource.PARAMS ? BigDecimal.TEN.pow(6) : BigDecimal.TEN.pow(9);
    List<Bin> bins = new ArrayList<>();
    for (int k = 0; k < count.intValueExact(); k++) {
      BigDecimal lower = lo.add(width.multiply(BigDecimal.valueOf(k)));
      BigDecimal upper = lower.add(width);
      bins.add(new Bin(k, ceil(lower), ceil(upper), lower.divide(unit, MathContext.DECIMAL128).doubleValue(),
          upper.divide(unit, MathContext.DECIMAL128).doubleValue(), PythonFloat.repr(upper.doubleValue() / 1e6)));
    }
    if (bins.isEmpty()) {
      throw new SelectorException("the interval " + width.toPlainString() + " is wider than the range "
          + lo.toPlainString() + " to " + raw.max().toPlainString() + ": not one bin fits");
    }
    return new CnnBins(settings.binBy(), bins, width);
  }

  private static long ceil(BigDecimal value) {
    try {
      return value.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new SelectorException("bin edge " + value.toPlainString() + " is beyond any count");
    }
  }

  long lo() {
    return bins.get(0).lo();
  }

  long hiExclusive() {
    return bins.get(bins.size() - 1).hiExclusive();
  }

  /** The same bins as the family-neutral {@link ResourceBins} a {@code Selection} carries. */
  ResourceBins toResourceBins() {
    BigDecimal unit = resource == Resource.PARAMS ? BigDecimal.TEN.pow(6) : BigDecimal.TEN.pow(9);
    List<ResourceBins.Bin> neutral = new ArrayList<>();
    for (Bin b : bins) neutral.add(new ResourceBins.Bin(b.index(), b.lower(), b.upper(), b.key()));
    return ResourceBins.explicit(resource, interval.divide(unit, MathContext.DECIMAL128).doubleValue(), neutral);
  }
}
