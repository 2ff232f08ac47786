package io.prenas.selector;

import java.math.BigDecimal;

/** Formatting that must match Python's output byte for byte (JSON keys written by the reference). */
final class PythonFormat {

  private PythonFormat() {}

  /**
   * Python's {@code str(float)}: the shortest repr, with a trailing {@code .0} for integral values and exponent
   * notation outside [1e-4, 1e16). Java's {@link Double#toString} is not always the shortest digit string before
   * Java 19, so the digits come from {@link BigDecimal} rounding, tried at increasing precision until they
   * round-trip.
   */
  static String str(double value) {
    if (Double.isNaN(value)) return "nan";
    if (Double.isInfinite(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0) return (1 / value < 0) ? "-0.0" : "0.0";
    BigDecimal shortest = null;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal candidate = new BigDecimal(value).round(new java.math.MathContext(digits));
      if (candidate.doubleValue() == value) {
        shortest = candidate;
        break;
      }
    }
    BigDecimal d = shortest.stripTrailingZeros();
    double abs = Math.abs(value);
    if (abs >= 1e-4 && abs < 1e16) {
      String plain = d.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    // Python: mantissa digits, 'e', sign, at least two exponent digits.
    String unscaled = d.unscaledValue().abs().toString();
    int exponent = unscaled.length() - 1 - d.scale();
    String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
    String sign = value < 0 ? "-" : "";
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}
