package io.prenas.system;

import io.prenas.data.Batch;
import io.prenas.data.BatchLoader;
import io.prenas.data.DataSplit;
import io.prenas.job.JobFailedException;
import io.prenas.job.JobProgress;
import io.prenas.job.SelectionEngine;
import io.prenas.selector.SelectorException;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.training.PreferredTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The input of a selection job's gradient pass, as tensors: none (data-free Gaussian images), a stored batch file,
 * or a batch drawn from an image data set (IDX or ImageFolder): {@code batchSize} training images in a seeded
 * shuffle, with the evaluation transform (resize/centre-crop and normalisation, no augmentation), so that a job
 * re-run on the same data scores the same. A drawn batch goes to the pass in memory.
 *
 * @param images NCHW images, or {@code null} for the data-free pass
 * @param labels their classes, or {@code null}
 */
record GradientBatch(Tensor images, Tensor labels) {

  static GradientBatch of(SelectionEngine.Command c, JobProgress progress) throws IOException {
    Path data = c.dataDir();
    if (data == null) {
      return new GradientBatch(null, null);
    }
    if (Files.isRegularFile(data)) {
      if (!data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
        throw new JobFailedException("options.dataPath: a file must be a batch (.safetensors with 'x'); give a "
            + "folder for image data");
      }
      return stored(data);
    }
    return draw(c, progress);
  }

  private static GradientBatch stored(Path file) throws IOException {
    Safetensors.Contents batch = Safetensors.read(file);
    Tensor images = batch.tensors().get("x");
    if (images == null) {
      throw new SelectorException("batch file " + file + " has no tensor 'x'");
    }
    return new GradientBatch(images, batch.tensors().get("y"));
  }

  private static GradientBatch draw(SelectionEngine.Command c, JobProgress progress) throws IOException {
    DataSplit split = TrainingEngineAdapter.open(c.dataDir(), c.seed());
    int n = split.train().size();
    int size = Math.min(c.batchSize(), n);
    Batch batch;
    try (BatchLoader loader = new BatchLoader(split.train(), BatchLoader.shuffled(n, c.seed(), 0), size,
        PreferredTrainer.trainTransform(c.space(), false).forEvaluation(), c.seed(), 2, 0)) {
      batch = loader.next();
      if (!loader.corrupt().isEmpty()) {
        progress.log("skipped unreadable images in the gradient batch: " + loader.corrupt());
      }
      if (batch.count() == 0) { // every image drawn was unreadable: say which, not "images have shape [0, ...]"
        throw new JobFailedException("options.dataPath: none of the " + size + " images drawn for the gradient "
            + "batch could be read (" + loader.corrupt().size() + " unreadable, first: "
            + (loader.corrupt().isEmpty() ? "none" : loader.corrupt().get(0)) + ")");
      }
    }
    progress.log("gradient batch: " + batch.count() + " training images of " + split.description());
    return new GradientBatch(Tensor.ofFloats(batch.shape(), batch.x()),
        Tensor.ofLongs(new long[] {batch.count()}, batch.y()));
  }
}
