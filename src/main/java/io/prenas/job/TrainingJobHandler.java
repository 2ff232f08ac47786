package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import java.nio.file.Path;
import java.util.Map;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs a training job: the preferred table of {@code options.selectionJob} (default: the space's latest), trained
 * from {@code options.trainingJob}'s supernet, else the space's imported supernet, else a seeded init. The row
 * records the selection it trained and the trained supernet ({@code SUPERNET_WEIGHTS} artifact). Re-entrant through
 * {@link SupernetTraining}: a job run again (its worker died, or a retry) resumes from its last checkpoint.
 */
@Component
public class TrainingJobHandler implements JobRequestHandler<TrainingJobRequest> {

  private final JobRunner runner;
  private final AvailableTrainingEngine engine;
  private final SpaceCatalog spaces;
  private final JobOptionsReader options;
  private final PreferredSet preferred;
  private final TrainedJobs trained;
  private final SupernetTraining training;
  private final ArtifactStore artifacts;

  TrainingJobHandler(JobRunner runner, AvailableTrainingEngine engine, SpaceCatalog spaces, JobOptionsReader options,
      PreferredSet preferred, TrainedJobs trained, SupernetTraining training, ArtifactStore artifacts) {
    this.runner = runner;
    this.engine = engine;
    this.spaces = spaces;
    this.options = options;
    this.preferred = preferred;
    this.trained = trained;
    this.training = training;
    this.artifacts = artifacts;
  }

  @Override
  @Job(name = "PreNAS training")
  public void run(TrainingJobRequest request) throws Exception {
    runner.run(request.jobId(), (job, progress) -> {
      TrainingEngine trainer = engine.get();
      TrainingOptions o = options.training(job);
      SpaceInfo space = spaces.get(job.space());
      try (JobWorkFolder work = new JobWorkFolder(artifacts.root(), job.id())) {
        o.data().requireFolder(job.type());
        PreferredTables.Table set = preferred.of(space.space(), o.selectionJob(), "options.selectionJob");
        progress.linkSelection(set.jobId());
        progress.metrics(Map.of("preferred", set.size()));
        training.train(job, o, space, set, initialWeights(o, space, progress), trainer, progress, work);
      }
    });
  }

  /** Where the training starts: another job's trained supernet, the imported one, or a fresh init. */
  private Path initialWeights(TrainingOptions o, SpaceInfo space, JobProgress progress) {
    if (o.trainingJob() != null) {
      JobRecord from = trained.named(o.trainingJob(), space.name(), "options.trainingJob");
      String sha = TrainedJobs.supernetOf(from);
      progress.log("training starts from the supernet trained by job " + from.id() + " (" + sha + ")");
      return artifacts.get(sha).file();
    }
    if (space.supernetSha256() != null) {
      progress.log("training starts from the imported supernet weights " + space.supernetSha256());
      return artifacts.get(space.supernetSha256()).file();
    }
    progress.log("training starts from a fresh seeded initialisation");
    return null;
  }
}
