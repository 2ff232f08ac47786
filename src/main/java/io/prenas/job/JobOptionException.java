package io.prenas.job;

/**
 * A submitted job is refused; {@link #field()} names the request field at fault (e.g. {@code options.epochs}) and
 * {@link #kind()} says why, which the API answers with its status.
 */
public class JobOptionException extends IllegalArgumentException {

  /** Why a job was refused. */
  public enum Kind {
    /** The value itself is wrong: out of range, not an option of the type, a path that leaves the data (400). */
    MALFORMED,
    /** It names a job that does not exist (404). */
    NOT_FOUND,
    /** It names a job that may become usable: still queued or running (409). */
    NOT_READY,
    /** Well formed, but the job could not run with it: too many bins, no data there, a job of the wrong kind (422). */
    UNRUNNABLE
  }

  private final String field;
  private final Kind kind;

  public JobOptionException(String field, String message) {
    this(Kind.MALFORMED, field, message);
  }

  public JobOptionException(Kind kind, String field, String message) {
    super(field + ": " + message);
    this.field = field;
    this.kind = kind;
  }

  public String field() {
    return field;
  }

  public Kind kind() {
    return kind;
  }
}
