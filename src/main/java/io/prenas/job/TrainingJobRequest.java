package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr command of a training job: only the job id (the row holds the rest). */
public record TrainingJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<TrainingJobHandler> getJobRequestHandler() {
    return TrainingJobHandler.class;
  }
}
