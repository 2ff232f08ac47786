package io.prenas.catalog;

/** A release named by a request that cannot answer it; {@link #kind()} says why. */
public class ReleaseException extends RuntimeException {

  /** Why. */
  public enum Kind {
    /** No release has that id (404). */
    UNKNOWN,
    /** The release is of another space than the one asked about (422). */
    OTHER_SPACE,
    /** Every model of the release that had an accuracy is withdrawn (404): no silent fallback to an older one. */
    ALL_WITHDRAWN
  }

  private final Kind kind;

  public ReleaseException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
