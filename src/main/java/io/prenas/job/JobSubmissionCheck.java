package io.prenas.job;

import io.prenas.catalog.SpaceInfo;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Precision;
import org.springframework.stereotype.Component;

/**
 * Everything a job of each type is checked for before it is queued, one method per type: its option values
 * (already checked by {@link JobOptions} itself), its bins against the selector's limit, the data it reads, and the
 * jobs it names. A job that passes may still fail on what only running it shows (a corrupt image, memory), but not
 * on anything that could be known at the door. Each refusal is a {@link JobOptionException} naming the field.
 */
@Component
class JobSubmissionCheck {

  private final SubmittedData data;
  private final ReferencedJobs references;

  JobSubmissionCheck(SubmittedData data, ReferencedJobs references) {
    this.data = data;
    this.references = references;
  }

  /** Checks a job with its defaults filled in ({@link JobOptions#withDefaults}) on a registered space. */
  void check(JobType type, SpaceInfo space, JobOptions options) {
    if (options.precisionOrDefault() == Precision.BF16 && !space.space().supportsBf16()) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, "options.precision", "space '"
          + space.name() + "' is a " + space.space().family() + " space, which selects, trains and evaluates in fp32"
          + " only; bf16 is for ViT spaces");
    }
    switch (type) {
      case SELECTION -> selection(space.space(), options);
      case TRAINING -> training(space.space(), options);
      case EVALUATION -> evaluation(space, options);
      case PIPELINE -> pipeline(space.space(), options);
    }
  }

  private void selection(SearchSpace space, JobOptions o) {
    bins(space, o);
    data.optionalBatch(o);
  }

  private void training(SearchSpace space, JobOptions o) {
    data.requireFolder(o, "a training job needs training data (an IDX folder or an ImageFolder "
        + "under the server's data directory)");
    references.requireTable(space, o.selectionJob(), "options.selectionJob");
    if (o.trainingJob() != null) {
      // Without one it starts from the imported supernet or a fresh init, both always available.
      references.requireTrainedSupernet(space.name(), o.trainingJob(), "options.trainingJob");
    }
  }

  private void evaluation(SpaceInfo space, JobOptions o) {
    if (o.supernetSource() == JobOptions.SupernetSource.IMPORTED) {
      if (space.supernetSha256() == null) {
        throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, "options.supernet", "space '"
            + space.name() + "' has no imported supernet: import its weights first (POST /api/v1/spaces/"
            + space.name() + "/supernet)");
      }
      references.requireTable(space.space(), o.selectionJob(), "options.selectionJob");
      data.requireFolder(o, "the images to evaluate the imported supernet on (an ImageFolder "
          + "or IDX folder under the server's data directory)");
      return;
    }
    references.requireTrainedSupernet(space.name(), o.trainingJob(), "options.trainingJob");
    if (o.selectionJob() != null) {
      references.requireTable(space.space(), o.selectionJob(), "options.selectionJob");
    }
    data.optionalFolder(o);
  }

  private void pipeline(SearchSpace space, JobOptions o) {
    bins(space, o);
    data.requireFolder(o, "a pipeline trains, so it needs training data (an IDX folder or an "
        + "ImageFolder under the server's data directory)");
  }

  private static void bins(SearchSpace space, JobOptions o) {
    SelectionBins.of(space, o.binMin(), o.binMax(), o.binInterval()).check(space);
  }
}
