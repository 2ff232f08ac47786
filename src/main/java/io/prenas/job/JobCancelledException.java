package io.prenas.job;

/** Thrown inside a running job when its cancellation was requested; the runner marks the job CANCELLED. */
public class JobCancelledException extends RuntimeException {
  public JobCancelledException() {
    super("cancelled on request");
  }
}
