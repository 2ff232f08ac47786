package io.prenas.job;

import io.prenas.data.DataLayout;
import io.prenas.storage.DatasetProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Checks a job's {@code options.dataPath} before it is queued: it stays inside the data directory and, where this
 * node sees the data directory, names data a job can read ({@link DataLayout}: IDX files or an ImageFolder; for a
 * selection also a {@code .safetensors} batch). An API node without the data volume (no data directory here) skips
 * the look: the worker checks the path again when it runs the job.
 */
@Component
class SubmittedData {

  private static final String FIELD = "options.dataPath";

  private final Path dataRoot;

  SubmittedData(DatasetProperties datasets) {
    this.dataRoot = datasets.dir().toAbsolutePath().normalize();
  }

  /** The image folder of a job that cannot run without one (training, pipeline, an imported evaluation). */
  void requireFolder(JobOptions options, String why) {
    if (options.dataPath() == null) {
      throw new JobOptionException(FIELD, "is required: " + why);
    }
    Path dir = options.dataDirUnder(dataRoot);
    if (visible()) {
      requireLayout(dir, options.dataPath());
    }
  }

  /** An optional image folder (an evaluation of a trained supernet: the training's data when absent). */
  void optionalFolder(JobOptions options) {
    Path dir = options.dataDirUnder(dataRoot);
    if (dir != null && visible()) {
      requireLayout(dir, options.dataPath());
    }
  }

  /** A selection's gradient batch: absent (data-free), an image folder, or a {@code .safetensors} batch file. */
  void optionalBatch(JobOptions options) {
    Path path = options.dataDirUnder(dataRoot);
    if (path == null || !visible()) {
      return;
    }
    if (Files.isRegularFile(path)) {
      if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
        throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, FIELD, "'" + options.dataPath() + "' is a "
            + "file: a selection takes a batch file (.safetensors with 'x') or an image folder");
      }
      return;
    }
    requireLayout(path, options.dataPath());
  }

  private boolean visible() {
    return Files.isDirectory(dataRoot);
  }

  private static void requireLayout(Path dir, String given) {
    try {
      DataLayout.describe(dir);
    } catch (IOException e) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, FIELD, "'" + given + "' in the data "
          + "directory: " + e.getMessage());
    }
  }
}
