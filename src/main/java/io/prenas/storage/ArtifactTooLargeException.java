package io.prenas.storage;

import java.io.IOException;

/** An upload or artifact is larger than the configured limit; nothing was stored. */
public class ArtifactTooLargeException extends IOException {

  private final long limit;

  public ArtifactTooLargeException(long limit) {
    super("larger than the limit of " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
