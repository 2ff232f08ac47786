package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.prenas.space.ResourceBins;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import org.junit.jupiter.api.Test;

/** A selection's bins are judged at submission on the very bins, and the very limit, the selector uses. */
class SelectionBinsTest {

  private static final SearchSpace TINY = SearchSpaces.builtIn("autoformer-tiny");

  @Test
  void theIssuesBillionBinsAreRefusedNamingTheInterval() {
    JobOptionException e = catchThrowableOfType(() -> SelectionBins.of(TINY, 0.0, 1000.0, 1e-9).check(TINY),
        JobOptionException.class);
    assertThat(e.field()).isEqualTo("options.binInterval");
    assertThat(e.kind()).isEqualTo(JobOptionException.Kind.UNRUNNABLE);
    assertThat(e.getMessage()).contains("more than 100000 bins");
  }

  @Test
  void exactlyTheSelectorsLimitPassesAndOneMoreBinDoesNot() {
    double interval = 1000.0 / ResourceBins.MAX_BINS;
    SelectionBins.of(TINY, 0.0, 1000.0, interval).check(TINY);
    assertThat(ResourceBins.count(0.0, 1000.0, interval)).isBetween(ResourceBins.MAX_BINS - 1, ResourceBins.MAX_BINS);
    assertThatThrownBy(() -> SelectionBins.of(TINY, 0.0, 1000.0, 1000.0 / (ResourceBins.MAX_BINS + 1)).check(TINY))
        .isInstanceOf(JobOptionException.class);
    // The selector's own check refuses the same bins (one source for the limit).
    assertThatThrownBy(() -> ResourceBins.count(0.0, 1000.0, 1000.0 / (ResourceBins.MAX_BINS + 1)))
        .isInstanceOf(SpaceException.class);
  }

  @Test
  void defaultsAreFiveBinsOverTheSpacesRange() {
    SelectionBins bins = SelectionBins.of(TINY, null, null, null);
    bins.check(TINY);
    assertThat(bins.min()).isLessThanOrEqualTo(TINY.resourceRange().minParams() / 1e6);
    assertThat(bins.max()).isGreaterThan(TINY.resourceRange().maxParams() / 1e6);
    assertThat(ResourceBins.count(bins.min(), bins.max(), bins.interval())).isEqualTo(SelectionBins.DEFAULT_BINS);
  }

  @Test
  void binsWithoutAnArchitectureOrWithoutABinAreRefused() {
    assertThat(field(() -> SelectionBins.of(TINY, 500.0, 600.0, 1.0).check(TINY))).isEqualTo("options.binMin");
    assertThat(field(() -> SelectionBins.of(TINY, 0.0, 0.5, 0.1).check(TINY))).isEqualTo("options.binMax");
    assertThat(field(() -> SelectionBins.of(TINY, 5.0, 6.0, 3.0).check(TINY))).isEqualTo("options.binInterval");
    // binMin alone above the space's largest architecture: the default upper bound is below it.
    assertThat(field(() -> SelectionBins.of(TINY, 100.0, null, null).check(TINY))).isEqualTo("options.binMin");
  }

  private static String field(Runnable check) {
    return catchThrowableOfType(check::run, JobOptionException.class).field();
  }
}
