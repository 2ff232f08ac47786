package io.prenas.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr command under which an earlier version queued training, evaluation and pipeline jobs; kept so that
 * those jobs still run after an upgrade (see {@link EngineJobHandler}).
 *
 * @deprecated new jobs use {@link TrainingJobRequest}, {@link EvaluationJobRequest} or {@link PipelineJobRequest}
 */
@Deprecated
public record EngineJobRequest(UUID jobId) implements JobRequest {
  @Override
  public Class<EngineJobHandler> getJobRequestHandler() {
    return EngineJobHandler.class;
  }
}
