package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Admission by memory: the estimate's parts, and a refusal that names the numbers and what to change. */
class JobMemoryTest {

  static final SearchSpace TINY = SearchSpaces.builtIn("autoformer-tiny");

  static JobMemory budget(String size) {
    return new JobMemory(new WorkerProperties(DataSize.parse(size), ""));
  }

  @Test
  void theEstimateCountsWeightsGradientsMomentsAndActivations() {
    double weights = 4 * TINY.supernetSize().parameters();
    double perImage = TINY.activationBytesPerImage();
    // Tiny at 224: about 84 MB of activations per image of the max subnet (measured 91 MB: docs/bench/activation-memory.md).
    assertThat(perImage / 1e6).isBetween(70.0, 100.0);
    assertThat(JobMemory.need(JobType.TRAINING, TINY, 8)).isEqualTo(4 * weights + 8 * perImage);
    // The selector's gradient pass runs in micro-batches: a larger gradient batch needs no more memory.
    int micro = io.prenas.selector.GradientSource.DEFAULT_MICRO_BATCH;
    assertThat(JobMemory.need(JobType.SELECTION, TINY, 64)).isEqualTo(JobMemory.need(JobType.SELECTION, TINY, micro))
        .isEqualTo(2 * weights + micro * perImage);
    // a family with BatchNorm runs its gradient batch in one pass: the whole batch counts
    io.prenas.space.SearchSpace cnn = SearchSpaces.builtIn("bignas-mbv2");
    assertThat(JobMemory.need(JobType.SELECTION, cnn, 64)).isEqualTo(
        2 * 4 * cnn.supernetSize().parameters() + 64 * cnn.activationBytesPerImage());
    assertThat(JobMemory.need(JobType.PIPELINE, TINY, 64)).isEqualTo(JobMemory.need(JobType.TRAINING, TINY, 64));
    for (String name : SearchSpaces.builtInNames()) {
      assertThat(SearchSpaces.builtIn(name).activationBytesPerImage()).as(name).isPositive();
    }
  }

  @Test
  void aJobOverTheBudgetIsRefusedNamingTheBatchOrTheSpace() {
    JobMemory twoGib = budget("2GB");
    assertThatCode(() -> twoGib.check(JobType.TRAINING, TINY, 8)).doesNotThrowAnyException();
    assertThatThrownBy(() -> twoGib.check(JobType.TRAINING, TINY, 256)).isInstanceOf(JobOptionException.class)
        .hasMessageContaining("options.batchSize")
        .hasMessageContaining("MiB of engine memory (training at batch 256 in space autoformer-tiny)")
        .hasMessageContaining("the worker's budget is 2048 MiB (prenas.worker.memory-budget); lower the batch size");
    assertThatThrownBy(() -> budget("64MB").check(JobType.TRAINING, TINY, 1))
        .extracting(e -> ((JobOptionException) e).field()).isEqualTo("space");
  }

  @Test
  void theDefaultBudgetLeavesTheHeapAndAReserve() {
    long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    assertThat(JobMemory.defaultBudget()).isLessThan(total - Runtime.getRuntime().maxMemory())
        .isGreaterThanOrEqualTo(256L << 20);
    assertThat(new JobMemory(new WorkerProperties(null, "")).budget()).isEqualTo(JobMemory.defaultBudget());
  }
}
