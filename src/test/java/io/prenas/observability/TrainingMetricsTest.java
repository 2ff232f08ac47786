package io.prenas.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The training gauges and counters follow the steps a training reports, including one resumed mid-way. */
class TrainingMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TrainingMetrics metrics = new TrainingMetrics(registry);

  @Test
  void gaugesAndCountersFollowTheReportedSteps() {
    assertThat(gauge("prenas.training.images.per.second")).isZero();
    assertThat(gauge("prenas.training.loss")).isNaN();

    try (TrainingMetrics.Run run = metrics.start(32, 0)) {
      run.step(1, Double.NaN, Double.NaN); // the first step: no rate nor loss yet
      assertThat(counter("prenas.training.steps")).isEqualTo(1);
      assertThat(counter("prenas.training.images")).isEqualTo(32);
      assertThat(gauge("prenas.training.images.per.second")).isZero();

      run.step(2, 120.5, 2.3);
      assertThat(gauge("prenas.training.images.per.second")).isEqualTo(120.5);
      assertThat(gauge("prenas.training.loss")).isEqualTo(2.3);

      run.step(5, 130.0, Double.NaN); // a skipped step keeps the last finite loss; steps can be reported in jumps
      assertThat(counter("prenas.training.steps")).isEqualTo(5);
      assertThat(counter("prenas.training.images")).isEqualTo(5 * 32);
      assertThat(gauge("prenas.training.images.per.second")).isEqualTo(130.0);
      assertThat(gauge("prenas.training.loss")).isEqualTo(2.3);

      run.step(5, 131.0, 2.1); // the same step again counts nothing
      assertThat(counter("prenas.training.steps")).isEqualTo(5);
      assertThat(gauge("prenas.training.loss")).isEqualTo(2.1);
    }
    assertThat(gauge("prenas.training.images.per.second")).as("no training runs").isZero();
    assertThat(gauge("prenas.training.loss")).isNaN();
    assertThat(counter("prenas.training.steps")).as("counters keep their totals").isEqualTo(5);
  }

  @Test
  void aResumedTrainingCountsOnlyTheStepsItRuns() {
    try (TrainingMetrics.Run run = metrics.start(16, 100)) {
      run.step(101, 50, 1.5);
      run.step(103, 50, 1.4);
    }
    assertThat(counter("prenas.training.steps")).isEqualTo(3);
    assertThat(counter("prenas.training.images")).isEqualTo(3 * 16);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }
}
