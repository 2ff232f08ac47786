package io.prenas.job;

import io.prenas.catalog.ModelCard;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import java.nio.file.Path;
import java.util.List;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs an evaluation job: every preferred architecture of a supernet on a data set, then, when
 * {@code options.publish} is set, the publication of each as a model ({@link ModelPublication}).
 *
 * <p>The supernet ({@link EvaluationSources}) is a trained one ({@code options.trainingJob}, default the space's
 * latest succeeded training or pipeline; its preferred table, and its data unless {@code options.dataPath} names
 * other images) or, with {@code options.supernet = imported}, the space's imported weights with the preferred table
 * of {@code options.selectionJob} (default the space's latest): the paper's released models served without training
 * anything here. The row records the training (if any), the table's job and the supernet.
 */
@Component
public class EvaluationJobHandler implements JobRequestHandler<EvaluationJobRequest> {

  private final JobRunner runner;
  private final AvailableTrainingEngine engine;
  private final SpaceCatalog spaces;
  private final JobOptionsReader options;
  private final EvaluationSources sources;
  private final ModelPublication publication;
  private final ArtifactStore artifacts;

  EvaluationJobHandler(JobRunner runner, AvailableTrainingEngine engine, SpaceCatalog spaces,
      JobOptionsReader options, EvaluationSources sources, ModelPublication publication, ArtifactStore artifacts) {
    this.runner = runner;
    this.engine = engine;
    this.spaces = spaces;
    this.options = options;
    this.sources = sources;
    this.publication = publication;
    this.artifacts = artifacts;
  }

  @Override
  @Job(name = "PreNAS evaluation")
  public void run(EvaluationJobRequest request) throws Exception {
    runner.run(request.jobId(), (job, progress) -> {
      TrainingEngine evaluator = engine.get();
      EvaluationOptions o = options.evaluation(job);
      SpaceInfo space = spaces.get(job.space());
      EvaluationSources.Source source = sources.of(job, space, o);
      progress.log("evaluating " + (source.imported() ? "the imported supernet " + source.supernetSha256()
          : "the supernet of job " + source.trainingJob()) + " on " + source.table().size()
          + " preferred architectures of job " + source.table().jobId());
      if (source.trainingJob() != null) {
        progress.linkTraining(source.trainingJob());
      }
      progress.linkSupernet(source.supernetSha256());
      progress.linkSelection(source.table().jobId());
      Path supernet = artifacts.get(source.supernetSha256()).file();
      List<TrainingEngine.Accuracy> acc = evaluator.evaluate(new TrainingEngine.EvaluationCommand(space.space(),
          supernet, source.table().architectures(), source.data(), o.batchSize(), source.seed(), source.imported(),
          o.precision()),
          progress);
      progress.metrics(EvaluationReport.metrics(source.table(), acc));
      if (o.publish()) {
        try (JobWorkFolder work = new JobWorkFolder(artifacts.root(), job.id())) {
          ModelCard card = ModelCards.of(job, space.space(), new ModelCards.Evaluated(source.dataPath(),
              source.data(), source.seed(), source.imported()), source.table().jobId(), source.trainingJob(),
              source.supernetSha256());
          publication.exportAndPublish(job, space, source.table(), supernet, acc, evaluator, progress, work, card,
              new TrainingEngine.RecalibrationData(source.data(), source.seed()));
        }
      }
    });
  }
}
