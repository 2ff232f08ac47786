package io.prenas.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Training throughput of this JVM, fed by the training engine at every step of a job's training (a JVM trains one
 * job at a time, so the gauges have no job label; the job id is in the logs): {@code prenas_training_images_per_second}
 * and {@code prenas_training_loss} of the running training (0 and NaN when none runs), and the counters
 * {@code prenas_training_steps_total} and {@code prenas_training_images_total} (steps times the batch size) over all
 * trainings. A step costs two counter increments and two volatile writes.
 */
@Component
public class TrainingMetrics {

  private final Counter steps;
  private final Counter images;
  private volatile double imagesPerSecond;
  private volatile double loss = Double.NaN;

  public TrainingMetrics(MeterRegistry registry) {
    steps = Counter.builder("prenas.training.steps")
        .description("Training steps run by this instance (skipped steps included)")
        .register(registry);
    images = Counter.builder("prenas.training.images")
        .description("Training images processed by this instance (steps times the batch size)")
        .register(registry);
    Gauge.builder("prenas.training.images.per.second", this, m -> m.imagesPerSecond)
        .description("Training throughput of the running training job (0 when none runs)")
        .register(registry);
    Gauge.builder("prenas.training.loss", this, m -> m.loss)
        .description("Latest training loss of the running training job (NaN when none runs)")
        .register(registry);
  }

  /**
   * A training starts (or resumes) at {@code startStep} with batches of {@code batchSize}; report its steps to the
   * returned run and close it when the training ends, however it ends.
   */
  public Run start(int batchSize, long startStep) {
    return new Run(batchSize, startStep);
  }

  /** One training's reports; not thread-safe (the training thread reports). */
  public final class Run implements AutoCloseable {

    private final int batchSize;
    private long lastStep;

    private Run(int batchSize, long startStep) {
      this.batchSize = batchSize;
      this.lastStep = startStep;
    }

    /**
     * The training reached {@code globalStep}.
     *
     * @param imagesPerSecond current throughput (NaN when not known yet)
     * @param loss latest finite loss (NaN when none yet)
     */
    public void step(long globalStep, double imagesPerSecond, double loss) {
      long delta = globalStep - lastStep;
      if (delta > 0) {
        steps.increment(delta);
        images.increment((double) delta * batchSize);
        lastStep = globalStep;
      }
      if (Double.isFinite(imagesPerSecond)) {
        TrainingMetrics.this.imagesPerSecond = imagesPerSecond;
      }
      if (Double.isFinite(loss)) {
        TrainingMetrics.this.loss = loss;
      }
    }

    /** The training ended: no throughput and no current loss until the next one. */
    @Override
    public void close() {
      TrainingMetrics.this.imagesPerSecond = 0;
      TrainingMetrics.this.loss = Double.NaN;
    }
  }
}
