package io.prenas.security;

import java.util.List;

/** {@link ReadAccess} for tests outside this package that need one without a Spring context. */
public final class ReadAccessForTests {

  private ReadAccessForTests() {}

  /** Reads open to anyone, no CORS origins: every read is answerable as it stands. */
  public static ReadAccess open() {
    return new ReadAccess(ApiKeys.of(), false, List.of());
  }
}
