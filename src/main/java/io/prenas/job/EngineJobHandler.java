package io.prenas.job;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs the training, evaluation and pipeline jobs that an earlier version queued in JobRunr under one handler
 * (JobRunr stores the handler's class name with each job): each goes to the handler of its type. New jobs are
 * queued with the request of their type and never come here.
 *
 * @deprecated only for JobRunr jobs queued before the handlers were split; remove once none can be left
 */
@Deprecated
@Component
public class EngineJobHandler implements JobRequestHandler<EngineJobRequest> {

  private final JobRepository jobs;
  private final TrainingJobHandler training;
  private final EvaluationJobHandler evaluation;
  private final PipelineJobHandler pipeline;

  EngineJobHandler(JobRepository jobs, TrainingJobHandler training, EvaluationJobHandler evaluation,
      PipelineJobHandler pipeline) {
    this.jobs = jobs;
    this.training = training;
    this.evaluation = evaluation;
    this.pipeline = pipeline;
  }

  @Override
  @Job(name = "PreNAS training/evaluation/pipeline")
  public void run(EngineJobRequest request) throws Exception {
    JobRecord job = jobs.findById(request.jobId()).orElse(null);
    if (job == null) {
      return; // no row (deleted): nothing to run, as JobRunner would conclude
    }
    switch (job.type()) {
      case TRAINING -> training.run(new TrainingJobRequest(job.id()));
      case EVALUATION -> evaluation.run(new EvaluationJobRequest(job.id()));
      case PIPELINE -> pipeline.run(new PipelineJobRequest(job.id()));
      case SELECTION -> throw new IllegalStateException("selection jobs are queued as SelectionJobRequest");
    }
  }
}
