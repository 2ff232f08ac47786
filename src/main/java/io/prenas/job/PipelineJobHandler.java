package io.prenas.job;

import io.prenas.catalog.ModelCard;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs a pipeline job: selection (gradient pass on a batch of its training images) → training on its preferred set
 * (from the space's imported supernet when there is one) → evaluation → export of every preferred subnet as a
 * standalone safetensors artifact → publication as models.
 *
 * <p>Re-entrant: a pipeline run again skips a selection it already stored, resumes training from its last
 * checkpoint ({@link SupernetTraining}) and publishes only the models still missing ({@link ModelPublication}).
 */
@Component
public class PipelineJobHandler implements JobRequestHandler<PipelineJobRequest> {

  private final JobRunner runner;
  private final AvailableTrainingEngine engine;
  private final SpaceCatalog spaces;
  private final JobOptionsReader options;
  private final SelectionStep selection;
  private final PreferredTables tables;
  private final SupernetTraining training;
  private final ModelPublication publication;
  private final ArtifactStore artifacts;

  PipelineJobHandler(JobRunner runner, AvailableTrainingEngine engine, SpaceCatalog spaces, JobOptionsReader options,
      SelectionStep selection, PreferredTables tables, SupernetTraining training, ModelPublication publication,
      ArtifactStore artifacts) {
    this.runner = runner;
    this.engine = engine;
    this.spaces = spaces;
    this.options = options;
    this.selection = selection;
    this.tables = tables;
    this.training = training;
    this.publication = publication;
    this.artifacts = artifacts;
  }

  @Override
  @Job(name = "PreNAS pipeline")
  public void run(PipelineJobRequest request) throws Exception {
    runner.run(request.jobId(), (job, progress) -> {
      TrainingEngine trainer = engine.get();
      PipelineOptions o = options.pipeline(job);
      SpaceInfo space = spaces.get(job.space());
      try (JobWorkFolder work = new JobWorkFolder(artifacts.root(), job.id())) {
        Path data = o.data().requireFolder(job.type());
        PreferredTables.Table set = select(job, o, space, data, progress);
        progress.linkSelection(job.id());
        Path initial = null;
        if (space.supernetSha256() != null) {
          progress.log("training starts from the imported supernet weights " + space.supernetSha256());
          initial = artifacts.get(space.supernetSha256()).file();
        }
        StoredArtifact supernet = training.train(job, o.training(), space, set, initial, trainer, progress, work);

        List<TrainingEngine.Accuracy> acc = trainer.evaluate(new TrainingEngine.EvaluationCommand(space.space(),
            supernet.file(), set.architectures(), data, o.training().batchSize(), o.training().seed(), false,
            o.training().precision()),
            progress);
        progress.metrics(EvaluationReport.metrics(set, acc));

        ModelCard card = ModelCards.of(job, space.space(), new ModelCards.Evaluated(o.data().given(), data,
            o.training().seed(), false), job.id(), job.id(), supernet.sha256());
        publication.exportAndPublish(job, space, set, supernet.file(), acc, trainer, progress, work, card,
            new TrainingEngine.RecalibrationData(data, o.training().seed()));
      }
    });
  }

  /** The job's own preferred table: the one an earlier attempt stored, else a selection now. */
  private PreferredTables.Table select(JobRecord job, PipelineOptions o, SpaceInfo space, Path data,
      JobProgress progress) throws Exception {
    Optional<PreferredTables.Table> stored = tables.find(space.space(), job.id());
    if (stored.isPresent()) {
      progress.log("selection skipped: an earlier attempt stored this job's preferred table");
      return stored.get();
    }
    // As in the reference, SNIP's gradient batch comes from the training data (a seeded draw of batchSize images).
    progress.log("selection: gradient pass on " + o.selection().batchSize() + " training images of "
        + o.data().given());
    return selection.run(job, o.selection(), space, data, progress);
  }
}
