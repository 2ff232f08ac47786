package io.prenas.space;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)} / {@code str(float)} in Java. Bin keys of preferred-architecture files are
 * {@code str(upper bound)}, so they must be spelled exactly as Python spells them ({@code "6.0"}, {@code "0.625"},
 * {@code "1e-05"}). Java 17's {@code Double.toString} is not always the shortest round-trip form and uses other
 * exponent rules, hence this class.
 */
public final class PythonFloat {

  private PythonFloat() {}

  /** The text Python 3 prints for this double. */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal shortest = shortestRoundTrip(Math.abs(value));
    String digits = shortest.unscaledValue().toString();
    // value = 0.d1d2...dn x 10^decimalPoint, the convention of Python's float formatting code.
    int decimalPoint = digits.length() - shortest.scale();
    String body = (decimalPoint > -4 && decimalPoint <= 16) ? fixed(digits, decimalPoint) : scientific(digits,
        decimalPoint - 1);
    return sign + body;
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code value}; among those of that length,
   * the closest to the exact binary value (what David Gay's algorithm, used by Python, returns).
   */
  static BigDecimal shortestRoundTrip(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == value) {
        return strip(nearest);
      }
      // Near a power of two the round-trip interval is lopsided: the nearest decimal may miss it while the decimal
      // on the other side is inside it.
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == value;
      boolean upOk = up.doubleValue() == value;
      if (downOk && upOk) {
        BigDecimal dDown = exact.subtract(down);
        BigDecimal dUp = up.subtract(exact);
        return strip(dDown.compareTo(dUp) <= 0 ? down : up);
      }
      if (downOk) {
        return strip(down);
      }
      if (upOk) {
        return strip(up);
      }
    }
    return strip(exact.round(MathContext.DECIMAL64)); // unreachable: 17 digits always round-trip
  }

  private static BigDecimal strip(BigDecimal d) {
    return d.stripTrailingZeros();
  }

  private static String fixed(String digits, int decimalPoint) {
    if (decimalPoint <= 0) {
      return "0." + "0".repeat(-decimalPoint) + digits;
    }
    if (decimalPoint >= digits.length()) {
      return digits + "0".repeat(decimalPoint - digits.length()) + ".0";
    }
    return digits.substring(0, decimalPoint) + "." + digits.substring(decimalPoint);
  }

  private static String scientific(String digits, int exponent) {
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }
}
