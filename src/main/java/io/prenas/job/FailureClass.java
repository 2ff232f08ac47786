package io.prenas.job;

/** Whether a job's failure would happen again: decides whether it is retried, and is shown on its row. */
public enum FailureClass {
  /** The same job fails the same way every time (invalid input, out of memory at its size, a bug): no retry. */
  DETERMINISTIC,
  /** The cause may pass (database outage, a dead worker, storage away for a moment): retried with backoff. */
  TRANSIENT
}
