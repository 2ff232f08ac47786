package io.prenas.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's data option resolved once on the worker: the path as given ({@code options.dataPath}) and the directory it
 * names under the server's data directory, or neither when the job has no data.
 */
record DataPath(String given, Path dir) {

  static final DataPath NONE = new DataPath(null, null);

  /**
   * Resolves {@code options.dataPath} of stored options; a path that became invalid since the submit fails the job.
   */
  static DataPath of(JobOptions options, Path dataRoot) {
    Path dir = options.dataDirForRun(dataRoot);
    return dir == null ? NONE : new DataPath(options.dataPath(), dir);
  }

  boolean present() {
    return dir != null;
  }

  /** The image folder of a job that cannot run without data (training, evaluation, pipeline). */
  Path requireFolder(JobType type) {
    if (dir == null) {
      throw new JobFailedException("options.dataPath: a " + type.apiName() + " job needs training data (an IDX "
          + "folder or an ImageFolder under the server's data directory)");
    }
    if (!Files.isDirectory(dir)) {
      throw new JobFailedException("options.dataPath: no folder at '" + given + "' in the data directory");
    }
    return dir;
  }

  /** A selection's gradient batch: a folder or batch file when given (it must exist), else {@code null}. */
  Path optionalBatch() {
    if (dir != null && !Files.exists(dir)) {
      throw new JobFailedException("options.dataPath: nothing at '" + given + "' in the data directory");
    }
    return dir;
  }
}
