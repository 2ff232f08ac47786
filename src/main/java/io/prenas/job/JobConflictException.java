package io.prenas.job;

/** The request conflicts with the job's state (cancel of an ended job, an idempotency key reused differently). */
public class JobConflictException extends RuntimeException {

  private final String field;

  public JobConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
