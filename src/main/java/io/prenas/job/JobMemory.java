package io.prenas.job;

import io.prenas.space.SearchSpace;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Admission by memory: a job's need for engine memory, estimated from its space and options when it is submitted,
 * against the worker's budget ({@code prenas.worker.memory-budget}). A job over the budget would exhaust the worker
 * (the native allocator fails or the kernel kills the process) after it had been queued; it is refused instead, with
 * both numbers and the option to lower.
 *
 * <p>The estimate counts float32 tensors: the supernet's weights; for a backward pass their gradients; for training
 * the two AdamW moments; and the activations one image of the largest architecture keeps for backward
 * ({@link SearchSpace#activationBytesPerImage}) times the images of one pass. The selector's gradient pass runs in
 * micro-batches of {@value #GRADIENT_MICRO_BATCH}, a family with BatchNorm in one pass; evaluation keeps no activations for backward (a quarter is a
 * generous allowance for its transient ones).
 */
@Component
public class JobMemory {

  /** Images per micro-batch of the selector's gradient pass (the engine's default). */
  static final int GRADIENT_MICRO_BATCH = io.prenas.selector.GradientSource.DEFAULT_MICRO_BATCH;

  private static final long RESERVE = 512L << 20;

  private final long budget;

  JobMemory(WorkerProperties properties) {
    this.budget = properties.memoryBudget() != null ? properties.memoryBudget().toBytes() : defaultBudget();
  }

  /** The budget a job may use, in bytes. */
  public long budget() {
    return budget;
  }

  /** The estimated need of a job, in bytes. */
  public static double need(JobType type, SearchSpace space, int batchSize) {
    double weights = Float.BYTES * space.supernetSize().parameters();
    double perImage = space.activationBytesPerImage();
    int passImages = space.hasBatchStatistics() ? batchSize : Math.min(batchSize, GRADIENT_MICRO_BATCH);
    double selection = 2 * weights + passImages * perImage;
    double training = 4 * weights + batchSize * perImage;
    double evaluation = weights + batchSize * perImage / 4;
    return switch (type) {
      case SELECTION -> selection;
      case TRAINING -> training;
      case EVALUATION -> evaluation;
      case PIPELINE -> Math.max(selection, Math.max(training, evaluation)); // one phase at a time
    };
  }

  /**
   * Refuses a job whose estimated need exceeds the budget.
   *
   * @throws JobOptionException (unrunnable: 422) naming {@code options.batchSize}, or the space when even one image
   *     is too much
   */
  public void check(JobType type, SearchSpace space, int batchSize) {
    double need = need(type, space, batchSize);
    if (need <= budget) {
      return;
    }
    boolean batchHelps = need(type, space, 1) <= budget;
    String field = batchHelps ? "options.batchSize" : "space";
    throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, field, String.format(Locale.ROOT,
        "the job needs about %s of engine memory (%s at batch %d in space %s), the worker's budget is %s "
            + "(prenas.worker.memory-budget)%s", mib(need), type.name().toLowerCase(Locale.ROOT), batchSize,
        space.name(), mib(budget), batchHelps ? "; lower the batch size" : "; even one image does not fit"));
  }

  /** The machine's or container's memory (the JDK reads the cgroup limit) less the JVM's maximum heap and 512 MB. */
  static long defaultBudget() {
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    long heap = Runtime.getRuntime().maxMemory();
    return Math.max(256L << 20, total - heap - RESERVE);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
  }
}
