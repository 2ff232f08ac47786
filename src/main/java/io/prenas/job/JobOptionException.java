package io.prenas.job;

/** A submitted job is invalid; {@link #field()} names the request field at fault (e.g. {@code options.epochs}). */
public class JobOptionException extends IllegalArgumentException {

  private final String field;

  public JobOptionException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
