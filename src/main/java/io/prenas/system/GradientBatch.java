package io.prenas.system;

import io.prenas.data.Batch;
import io.prenas.data.BatchLoader;
import io.prenas.data.DataSplit;
import io.prenas.job.JobFailedException;
import io.prenas.job.JobProgress;
import io.prenas.job.SelectionEngine;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.training.PreferredTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The input of a selection job's gradient pass: none (data-free Gaussian images), a stored batch file, or a batch
 * drawn from an image data set (IDX or ImageFolder): {@code batchSize} training images in a seeded shuffle, with the
 * evaluation transform (resize/centre-crop and normalisation, no augmentation), so that a job re-run on the same data
 * scores the same. A drawn batch lives in a temporary file for the pass only.
 */
final class GradientBatch implements AutoCloseable {

  private final Path file;
  private final boolean temporary;

  private GradientBatch(Path file, boolean temporary) {
    this.file = file;
    this.temporary = temporary;
  }

  /** The batch file for the pass, or {@code null} for the data-free pass. */
  Path file() {
    return file;
  }

  static GradientBatch of(SelectionEngine.Command c, JobProgress progress) throws IOException {
    Path data = c.dataDir();
    if (data == null) {
      return new GradientBatch(null, false);
    }
    if (Files.isRegularFile(data)) {
      if (!data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
        throw new JobFailedException("options.dataPath: a file must be a batch (.safetensors with 'x'); give a "
            + "folder for image data");
      }
      return new GradientBatch(data, false);
    }
    return new GradientBatch(draw(c, progress), true);
  }

  private static Path draw(SelectionEngine.Command c, JobProgress progress) throws IOException {
    DataSplit split = TrainingEngineAdapter.open(c.dataDir(), c.seed());
    int n = split.train().size();
    int size = Math.min(c.batchSize(), n);
    Batch batch;
    try (BatchLoader loader = new BatchLoader(split.train(), BatchLoader.shuffled(n, c.seed(), 0), size,
        PreferredTrainer.trainTransform(c.space().model(), false).forEvaluation(), c.seed(), 2, 0)) {
      batch = loader.next();
      if (!loader.corrupt().isEmpty()) {
        progress.log("skipped unreadable images in the gradient batch: " + loader.corrupt());
      }
    }
    progress.log("gradient batch: " + batch.count() + " training images of " + split.description());
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("x", Tensor.ofFloats(batch.shape(), batch.x()));
    tensors.put("y", Tensor.ofLongs(new long[] {batch.count()}, batch.y()));
    Path file = Files.createTempFile("prenas-gradient-batch-", ".safetensors");
    Safetensors.write(file, tensors, Map.of());
    return file;
  }

  @Override
  public void close() throws IOException {
    if (temporary) {
      Files.deleteIfExists(file);
    }
  }
}
