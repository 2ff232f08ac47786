package io.prenas.space;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatTest {

  /** Expected texts are what CPython 3 prints for repr(x). */
  @ParameterizedTest
  @CsvSource({
      "6.0, 6.0", "0.625, 0.625", "1.0, 1.0", "42.0, 42.0", "0.5, 0.5", "1.125, 1.125",
      "0.1, 0.1", "0.30000000000000004, 0.30000000000000004",
      "0.0001, 0.0001", "0.00001, 1e-05", "0.000025, 2.5e-05",
      "1e15, 1000000000000000.0", "1e16, 1e+16", "1.5e16, 1.5e+16", "123456789012345680, 1.2345678901234568e+17",
      "1e22, 1e+22", "4.9e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
      "-2.5, -2.5", "0.0, 0.0", "-0.0, -0.0", "9007199254740993, 9007199254740992.0",
      "2.2250738585072014e-308, 2.2250738585072014e-308", "100.0, 100.0", "13.0, 13.0", "5.99476, 5.99476"
  })
  void printsLikePython(double value, String expected) {
    assertThat(PythonFloat.repr(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"NaN, nan", "Infinity, inf", "-Infinity, -inf"})
  void specialValues(double value, String expected) {
    assertThat(PythonFloat.repr(value)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void shortestFormRoundTripsForManyValues() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      String text = PythonFloat.repr(d);
      assertThat(Double.parseDouble(text.replace("inf", "Infinity"))).isEqualTo(d);
      // Never longer than Java's own (non-minimal but round-tripping) digits.
      assertThat(PythonFloat.shortestRoundTrip(Math.abs(d)).precision())
          .isLessThanOrEqualTo(new java.math.BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros().precision());
    }
  }
}
