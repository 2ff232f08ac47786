package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs an evaluation job: every preferred architecture of a trained supernet ({@code options.trainingJob}, default
 * the space's latest succeeded training or pipeline) on the validation part of the data (the job's
 * {@code options.dataPath}, else the training's). The row records the training, its selection and its supernet.
 */
@Component
public class EvaluationJobHandler implements JobRequestHandler<EvaluationJobRequest> {

  static final int RETRIES = 1;

  private final JobRunner runner;
  private final AvailableTrainingEngine engine;
  private final SpaceCatalog spaces;
  private final JobOptionsReader options;
  private final PreferredSet preferred;
  private final TrainedJobs trained;
  private final ArtifactStore artifacts;

  EvaluationJobHandler(JobRunner runner, AvailableTrainingEngine engine, SpaceCatalog spaces,
      JobOptionsReader options, PreferredSet preferred, TrainedJobs trained, ArtifactStore artifacts) {
    this.runner = runner;
    this.engine = engine;
    this.spaces = spaces;
    this.options = options;
    this.preferred = preferred;
    this.trained = trained;
    this.artifacts = artifacts;
  }

  @Override
  @Job(name = "PreNAS evaluation", retries = RETRIES)
  public void run(EvaluationJobRequest request) throws Exception {
    runner.run(request.jobId(), RETRIES, (job, progress) -> {
      TrainingEngine evaluator = engine.get();
      EvaluationOptions o = options.evaluation(job);
      SpaceInfo space = spaces.get(job.space());
      JobRecord source = o.trainingJob() != null
          ? trained.named(o.trainingJob(), space.name(), "options.trainingJob")
          : trained.latest(space.name());
      TrainingOptions sourceOptions = options.trainingPart(source);
      Path data = (o.data().present() ? o.data() : sourceOptions.data()).requireFolder(job.type());
      UUID selectionJob = TrainedJobs.selectionOf(source);
      PreferredTables.Table set = preferred.of(space.space(), selectionJob, "options.trainingJob");
      String supernet = TrainedJobs.supernetOf(source);
      progress.log("evaluating the supernet of job " + source.id() + " on " + set.size()
          + " preferred architectures");
      progress.linkTraining(source.id());
      progress.linkSupernet(supernet);
      progress.linkSelection(selectionJob);
      List<TrainingEngine.Accuracy> acc = evaluator.evaluate(new TrainingEngine.EvaluationCommand(space.space(),
          artifacts.get(supernet).file(), set.architectures(), data, o.batchSize(), sourceOptions.seed()),
          progress);
      progress.metrics(EvaluationReport.metrics(set, acc));
    });
  }
}
