package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr command of an evaluation job: only the job id (the row holds the rest). */
public record EvaluationJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<EvaluationJobHandler> getJobRequestHandler() {
    return EvaluationJobHandler.class;
  }
}
