package io.prenas.system;

import io.prenas.job.JobProgress;
import io.prenas.job.TrainingEngine;
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
  private final ReentrantLock engineLock = new ReentrantLock(true);

  IsolatedTrainingEngine(EngineProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public TrainingOutcome train(TrainingCommand c, JobProgress progress, CheckpointSink checkpoints)
      throws Exception {
    lock(progress);
    try {
      return EngineMessages.trainingOutcome(runner.call("train", c.space(), EngineMessages.training(c), progress,
          checkpoints));
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
  public List<Exported> export(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dir)
      throws Exception {
    return EngineMessages.exported(space, runner.call("export", space,
        EngineMessages.export(space, supernetWeights, architectures, dir), null, null));
  }

  private void lock(JobProgress progress) throws InterruptedException {
    if (!engineLock.tryLock()) {
      progress.log("waiting for the training engine (another training or evaluation runs in this worker)");
      engineLock.lockInterruptibly();
    }
  }
}
