package io.prenas.job;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs training, evaluation and pipeline jobs through the {@link TrainingEngine} port. In a build without an engine
 * (the port has no bean yet) every such job fails at once with {@link TrainingEngine#UNAVAILABLE}, never pretending
 * to train.
 */
@Component
public class EngineJobHandler implements JobRequestHandler<EngineJobRequest> {

  /** A dead worker's job is picked up again by JobRunr; retries add little for training, so keep them few. */
  static final int RETRIES = 1;

  private final JobRunner runner;
  private final ObjectProvider<TrainingEngine> engine;

  EngineJobHandler(JobRunner runner, ObjectProvider<TrainingEngine> engine) {
    this.runner = runner;
    this.engine = engine;
  }

  @Override
  @Job(name = "PreNAS training/evaluation/pipeline", retries = RETRIES)
  public void run(EngineJobRequest request) throws Exception {
    runner.run(request.jobId(), RETRIES, (job, progress) -> {
      TrainingEngine trainer = engine.getIfAvailable();
      if (trainer == null) {
        throw new JobFailedException(TrainingEngine.UNAVAILABLE);
      }
      // The orchestration over the engine (train with checkpoints and resume, evaluate, export and publish) comes
      // with the DJL-backed TrainingEngine; until then a build with an engine bean still refuses honestly.
      throw new JobFailedException(job.type().apiName() + " jobs are not wired to the training engine yet");
    });
  }
}
