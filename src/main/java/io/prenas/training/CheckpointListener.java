package io.prenas.training;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Told of each checkpoint the trainer has completely written (periodically, at the end and on cancel), on the
 * training thread, before training goes on: a job stores it as an artifact at once, so a worker that dies after this
 * call resumes from it. A failure here stops the training.
 */
@FunctionalInterface
public interface CheckpointListener {

  void written(CheckpointWritten checkpoint) throws IOException;

  /** Ignores checkpoints (the CLI: the file in the output folder is all it needs). */
  CheckpointListener NONE = c -> {};

  /**
   * One complete checkpoint.
   *
   * @param file the checkpoint file (replaced by the next checkpoint of the run)
   * @param step the global step it resumes at
   * @param sha256 lower-case hex SHA-256 of the file's bytes, computed while writing
   */
  record CheckpointWritten(Path file, long step, String sha256) {}
}
