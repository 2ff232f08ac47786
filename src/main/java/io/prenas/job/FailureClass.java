package io.prenas.job;

/** Whether a job's failure would happen again: decides whether it is retried, and is shown on its row. */
public enum FailureClass {
  /** The same job fails the same way every time (invalid input, a corrupt file, a bug): no retry. */
  DETERMINISTIC,
  /** The cause may pass (database outage, a dead worker, storage away for a moment): retried with backoff. */
  TRANSIENT,
  /**
   * The job ran out of memory at its size, Java heap or native (the engine's allocator, or the memory limits of the
   * engine process): deterministic, no retry; a smaller batch or a worker with more memory may fit.
   */
  OUT_OF_MEMORY
}
