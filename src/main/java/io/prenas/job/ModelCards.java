package io.prenas.job;

import io.prenas.catalog.ModelCard;
import io.prenas.data.DataException;
import io.prenas.data.DataSplit;
import io.prenas.data.DatasetSummary;
import io.prenas.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The card of the models a job publishes, from the same data and settings its evaluation used: the evaluation
 * transform of the space's input adapted to those images (as {@code BatchLoader} adapts it), the data set's class
 * names, split and fingerprint ({@link DataSplit#summary}), and the job's lineage. The release is the job.
 */
final class ModelCards {

  /**
   * What the evaluation ran on.
   *
   * @param dataPath the data as the options named it
   * @param data the folder it resolves to
   * @param seed the seed of the hold-out when the data has no validation part
   * @param wholeWhenUnsplit whether unsplit data was evaluated whole (an imported supernet)
   */
  record Evaluated(String dataPath, Path data, long seed, boolean wholeWhenUnsplit) {}

  private ModelCards() {}

  static ModelCard of(JobRecord job, SearchSpace space, Evaluated evaluated, UUID selectionJob, UUID trainingJob,
      String supernetSha256) throws IOException {
    DatasetSummary summary;
    try {
      summary = DataSplit.summary(evaluated.data(), DataSplit.DEFAULT_VALIDATION_FRACTION, evaluated.seed(),
          evaluated.wholeWhenUnsplit());
    } catch (DataException e) {
      throw new JobFailedException("options.dataPath: " + e.getMessage(), e);
    }
    ModelCard.Dataset dataset = new ModelCard.Dataset(evaluated.dataPath(), summary.format(), summary.images(),
        summary.validation(), summary.fingerprint(), summary.fingerprintFiles());
    return new ModelCard(summary.preprocessing(space.inChannels(), space.imageSize()), summary.classNames(), dataset,
        new ModelCard.Lineage(selectionJob, trainingJob, job.id(), supernetSha256), job.id());
  }
}
