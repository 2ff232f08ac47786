package io.prenas.selector;

import io.prenas.space.Resource;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How candidates are binned and how many are kept (paper Eq. 8): bins {@code [min + k·interval, min + (k+1)·interval)}
 * up to {@code max}, in M params or G FLOPs, and the {@code topN} best scores of each bin.
 *
 * <p>{@code exact} optionally carries the same bounds as exact decimals in raw units (parameters, or FLOPs as
 * multiply-accumulates), as a user wrote them ({@code 1.5M} = 1,500,000 exactly). A family that bins exact integer
 * counts (the CNN family, spec cnn-space §8) uses them; the ViT family bins the doubles as the reference does. Without
 * them {@link #exactBounds()} derives them from the doubles' shortest decimal form.
 */
public record SelectionSettings(Resource binBy, double min, double max, double interval, int topN, RawBounds exact) {

  /** Bounds and interval in raw units (parameters or MACs), exact. */
  public record RawBounds(BigDecimal min, BigDecimal max, BigDecimal interval) {}

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
    if (exact != null) {
      if (exact.min().signum() < 0) throw new SelectorException("lower bound must not be negative, got " + exact.min());
      if (exact.min().compareTo(exact.max()) >= 0) {
        throw new SelectorException("lower bound " + exact.min().toPlainString() + " must be below the upper bound "
            + exact.max().toPlainString());
      }
      if (exact.interval().signum() <= 0) {
        throw new SelectorException("interval must be positive, got " + exact.interval().toPlainString());
      }
    }
  }

  /** Bounds in bin units (M params or G FLOPs), without exact raw bounds. */
  public SelectionSettings(Resource binBy, double min, double max, double interval, int topN) {
    this(binBy, min, max, interval, topN, null);
  }

  /**
   * Settings from exact raw bounds (parameters or MACs); the doubles in bin units are their nearest values.
   *
   * @throws SelectorException as the canonical constructor does
   */
  public static SelectionSettings ofRaw(Resource binBy, BigDecimal min, BigDecimal max, BigDecimal interval,
      int topN) {
    if (binBy == null) throw new SelectorException("bin-by must be params or flops");
    BigDecimal divisor = divisor(binBy);
    return new SelectionSettings(binBy, min.divide(divisor, MathContext.DECIMAL128).doubleValue(),
        max.divide(divisor, MathContext.DECIMAL128).doubleValue(),
        interval.divide(divisor, MathContext.DECIMAL128).doubleValue(), topN, new RawBounds(min, max, interval));
  }

  /** The exact raw bounds: as given, or the doubles' shortest decimal form times the unit (1e6 or 1e9). */
  public RawBounds exactBounds() {
    if (exact != null) return exact;
    BigDecimal divisor = divisor(binBy);
    return new RawBounds(new BigDecimal(Double.toString(min)).multiply(divisor),
        new BigDecimal(Double.toString(max)).multiply(divisor),
        new BigDecimal(Double.toString(interval)).multiply(divisor));
  }

  /** "params" or "flops", as written in output files. */
  public String binByName() {
    return binBy.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static BigDecimal divisor(Resource resource) {
    return resource == Resource.PARAMS ? BigDecimal.TEN.pow(6) : BigDecimal.TEN.pow(9);
  }
}
