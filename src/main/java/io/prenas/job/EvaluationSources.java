package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What an evaluation job evaluates: which supernet, which preferred table, on which images. Either a supernet this
 * server trained (with its training's table, data and seed) or the space's imported supernet (the paper's released
 * weights, say) with a preferred table of the space (selected or imported) and the job's own images.
 */
@Component
class EvaluationSources {

  /**
   * One evaluation's inputs.
   *
   * @param trainingJob the training or pipeline job whose supernet it is; {@code null} for the imported supernet
   * @param seed the seed that picks a hold-out split when the images have no validation part
   * @param imported true for weights trained elsewhere: none of the images were trained on here, so a folder without
   *     a validation part is evaluated whole instead of a held-out share of it
   * @param dataPath {@code data} as the options named it (relative to the data directory), for the model card
   */
  record Source(String supernetSha256, UUID trainingJob, PreferredTables.Table table, Path data, long seed,
      boolean imported, String dataPath) {}

  private final PreferredSet preferred;
  private final TrainedJobs trained;
  private final JobOptionsReader options;

  EvaluationSources(PreferredSet preferred, TrainedJobs trained, JobOptionsReader options) {
    this.preferred = preferred;
    this.trained = trained;
    this.options = options;
  }

  /** The inputs of an evaluation job as its options say. */
  Source of(JobRecord job, SpaceInfo space, EvaluationOptions o) throws IOException {
    return o.supernet() == JobOptions.SupernetSource.IMPORTED ? imported(job, space, o) : trained(space, o);
  }

  private Source imported(JobRecord job, SpaceInfo space, EvaluationOptions o) {
    if (space.supernetSha256() == null) {
      throw new JobFailedException("options.supernet: space '" + space.name() + "' has no imported supernet");
    }
    PreferredTables.Table table = preferred.of(space.space(), o.selectionJob(), "options.selectionJob");
    return new Source(space.supernetSha256(), null, table, o.data().requireFolder(job.type()), 0, true,
        o.data().given());
  }

  private Source trained(SpaceInfo space, EvaluationOptions o) throws IOException {
    JobRecord source = o.trainingJob() != null
        ? trained.named(o.trainingJob(), space.name(), "options.trainingJob")
        : trained.latest(space.name());
    TrainingOptions sourceOptions = options.trainingPart(source);
    DataPath dataPath = o.data().present() ? o.data() : sourceOptions.data();
    Path data = dataPath.requireFolder(JobType.EVALUATION);
    PreferredTables.Table table = o.selectionJob() != null
        ? preferred.of(space.space(), o.selectionJob(), "options.selectionJob")
        : preferred.of(space.space(), TrainedJobs.selectionOf(source), "options.trainingJob");
    return new Source(TrainedJobs.supernetOf(source), source.id(), table, data, sourceOptions.seed(), false,
        dataPath.given());
  }
}
