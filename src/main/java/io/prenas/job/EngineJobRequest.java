package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr command of a training, evaluation or pipeline job: only the job id. */
public record EngineJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<EngineJobHandler> getJobRequestHandler() {
    return EngineJobHandler.class;
  }
}
