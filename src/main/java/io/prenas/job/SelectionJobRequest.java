package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr command of a selection job: only the job id (the row holds the rest). */
public record SelectionJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<SelectionJobHandler> getJobRequestHandler() {
    return SelectionJobHandler.class;
  }
}
