package io.prenas.job;

/**
 * A job cannot succeed and retrying would not help (a missing engine, invalid input found at run time): the runner
 * marks it FAILED with this message as the reason and does not retry it.
 */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String reason) {
    super(reason);
  }

  public JobFailedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
