package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr command of a pipeline job: only the job id (the row holds the rest). */
public record PipelineJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<PipelineJobHandler> getJobRequestHandler() {
    return PipelineJobHandler.class;
  }
}
