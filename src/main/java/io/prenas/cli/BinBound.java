package io.prenas.cli;

import io.prenas.space.Resource;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A bin bound of {@code select} ({@code --min}, {@code --max}, {@code --interval}) parsed exactly, as a decimal in
 * raw units (parameters, or FLOPs as MACs). A K, M or G suffix scales by 1e3, 1e6 or 1e9 ({@code 1.5M} = 1,500,000
 * exactly); a plain number keeps the unit {@code select} always had: M for params, G for FLOPs ({@code --bin-by
 * flops --min 0.5} = 500,000,000).
 */
final class BinBound {

  private BinBound() {}

  /**
   * The raw value of {@code text}.
   *
   * @throws CliException naming the option when the text is not a decimal number with an optional K/M/G suffix
   */
  static BigDecimal parse(String option, String text, Resource binBy) {
    String t = text == null ? "" : text.trim();
    BigDecimal scale = binBy == Resource.PARAMS ? BigDecimal.TEN.pow(6) : BigDecimal.TEN.pow(9);
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K', 'k' -> scale = BigDecimal.TEN.pow(3);
        case 'M' -> scale = BigDecimal.TEN.pow(6);
        case 'G' -> scale = BigDecimal.TEN.pow(9);
        default -> scale = null;
      }
      if (scale != null) {
        t = t.substring(0, t.length() - 1);
      } else {
        scale = binBy == Resource.PARAMS ? BigDecimal.TEN.pow(6) : BigDecimal.TEN.pow(9);
      }
    }
    try {
      if (t.isEmpty() || !t.matches("[+-]?[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?|[+-]?[0-9]+\\.")) {
        throw new NumberFormatException();
      }
      return new BigDecimal(t).multiply(scale);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CliException(String.format(Locale.ROOT, "%s: '%s' is not a number with an optional K, M or G "
          + "suffix (e.g. 3M, 1.5M, 0.2G; a plain number is in %s)", option, text,
          binBy == Resource.PARAMS ? "M params" : "G FLOPs"));
    }
  }
}
