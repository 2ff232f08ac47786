package io.prenas.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.job.JobProgress;
import io.prenas.job.TrainingEngine;
import io.prenas.observability.TrainingMetrics;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The training port over an engine process per call ({@code prenas.worker.isolation=process}). As in the worker's own
 * JVM ({@link TrainingEngineAdapter}), one training or evaluation runs at a time per worker.
 */
final class IsolatedTrainingEngine implements TrainingEngine {

  private final EngineProcessRunner runner;
  private final TrainingMetrics metrics;
  private final ReentrantLock engineLock = new ReentrantLock(true);

  IsolatedTrainingEngine(EngineProcessRunner runner, TrainingMetrics metrics) {
    this.runner = runner;
    this.metrics = metrics;
  }

  @Override
  public TrainingOutcome train(TrainingCommand c, JobProgress progress, CheckpointSink checkpoints)
      throws Exception {
    lock(progress);
    Meters meters = new Meters(c.batchSize());
    try (meters) {
      return EngineMessages.trainingOutcome(runner.call("train", c.space(), EngineMessages.training(c), progress,
          checkpoints, meters::report));
    } finally {
      engineLock.unlock();
    }
  }

  @Override
  public List<Accuracy> evaluate(EvaluationCommand c, JobProgress progress) throws Exception {
    lock(progress);
    try {
      return EngineMessages.accuracies(c.space(), runner.call("evaluate", c.space(), EngineMessages.evaluation(c),
          progress, null));
    } finally {
      engineLock.unlock();
    }
  }

  @Override
  public List<Exported> export(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dir,
      RecalibrationData recalibration) throws Exception {
    return EngineMessages.exported(space, runner.call("export", space,
        EngineMessages.export(space, supernetWeights, architectures, dir, recalibration), null, null));
  }

  /**
   * The training's Prometheus meters ({@link TrainingMetrics}) from the progress the engine process reports (at the
   * job's progress interval, not every step as in the worker's JVM). The run starts at the step a resumed training
   * reports first.
   */
  private final class Meters implements AutoCloseable {
    private final int batchSize;
    private TrainingMetrics.Run run;

    Meters(int batchSize) {
      this.batchSize = batchSize;
    }

    void report(JsonNode message) {
      if (!"progressWithMetrics".equals(message.path("op").asText())) {
        return;
      }
      JsonNode m;
      try {
        m = EngineMessages.JSON.readTree(message.path("metrics").asText());
      } catch (java.io.IOException e) {
        return; // the row got it as it was; the meters skip it
      }
      if (run == null) {
        run = metrics.start(batchSize, m.path("resumedFromStep").asLong(0));
      }
      if (m.has("globalStep") && m.has("totalSteps")) {
        run.step(m.path("globalStep").asLong(), m.path("imagesPerSecond").asDouble(Double.NaN),
            m.path("loss").asDouble(Double.NaN));
      }
    }

    @Override
    public void close() {
      if (run != null) {
        run.close();
      }
    }
  }

  private void lock(JobProgress progress) throws InterruptedException {
    if (!engineLock.tryLock()) {
      progress.log("waiting for the training engine (another training or evaluation runs in this worker)");
      engineLock.lockInterruptibly();
    }
  }
}
