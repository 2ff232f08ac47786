package io.prenas.cnn.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.space.Resource;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Exact bins of spec cnn-space §8: decimal edges, integer ranges, keys in millions. */
class CnnBinsTest {

  @Test
  void decimalBoundsGiveExactIntegerBinsAndKeysInMillions() {
    CnnBins bins = CnnBins.of(SelectionSettings.ofRaw(Resource.FLOPS, new BigDecimal("3000000"),
        new BigDecimal("18000000"), new BigDecimal("1500000"), 2));
    assertThat(bins.bins()).hasSize(10);
    assertThat(bins.bins().get(0)).extracting(CnnBins.Bin::lo, CnnBins.Bin::hiExclusive, CnnBins.Bin::key)
        .containsExactly(3_000_000L, 4_500_000L, "4.5");
    assertThat(bins.bins().get(9)).extracting(CnnBins.Bin::lo, CnnBins.Bin::hiExclusive, CnnBins.Bin::key)
        .containsExactly(16_500_000L, 18_000_000L, "18.0");
    assertThat(bins.bins().get(9).upper()).isEqualTo(0.018); // bin units stay G FLOPs, as for every family
  }

  @Test
  void fractionalEdgesRoundUpToTheFirstIntegerInside() {
    CnnBins bins = CnnBins.of(SelectionSettings.ofRaw(Resource.PARAMS, BigDecimal.ZERO, BigDecimal.TEN,
        new BigDecimal("3.3"), 1));
    assertThat(bins.bins()).extracting(CnnBins.Bin::lo).containsExactly(0L, 4L, 7L);
    assertThat(bins.bins()).extracting(CnnBins.Bin::hiExclusive).containsExactly(4L, 7L, 10L);
  }

  @Test
  void plainDoublesAreTakenAsTheDecimalsTheyPrintAs() {
    CnnBins bins = CnnBins.of(new SelectionSettings(Resource.FLOPS, 0.0005, 0.005, 0.0005, 2));
    assertThat(bins.bins()).hasSize(9);
    assertThat(bins.bins().get(0).lo()).isEqualTo(500_000L);
    assertThat(bins.bins().get(8).hiExclusive()).isEqualTo(5_000_000L);
    assertThat(bins.toResourceBins().binIndexOfRaw(999_999)).isZero();
    assertThat(bins.toResourceBins().binIndexOfRaw(1_000_000)).isOne();
  }

  @Test
  void tooManyOrNoBinsAreRefused() {
    assertThatThrownBy(() -> CnnBins.of(SelectionSettings.ofRaw(Resource.FLOPS, BigDecimal.ZERO,
        new BigDecimal("1000000000"), BigDecimal.ONE, 1))).isInstanceOf(SelectorException.class)
        .hasMessageContaining("more than");
    assertThatThrownBy(() -> CnnBins.of(SelectionSettings.ofRaw(Resource.FLOPS, BigDecimal.ZERO, BigDecimal.TEN,
        new BigDecimal("11"), 1))).isInstanceOf(SelectorException.class).hasMessageContaining("not one bin fits");
  }
}
