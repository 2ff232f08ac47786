package io.prenas.security;

import java.util.List;

/**
 * The read rules of {@link ApiKeyFilter} and the CORS filter, for a listener that answers reads without the servlet
 * filters (the serving port): whether a GET under {@code /api/} may be answered as it stands. Anything this says no
 * to goes to the filters, which answer it (401, 403, CORS headers) as on the API port.
 */
public final class ReadAccess {

  private final ApiKeys keys;
  private final boolean keyNeeded;
  private final boolean corsConfigured;

  ReadAccess(ApiKeys keys, boolean keyNeeded, List<String> corsOrigins) {
    this.keys = keys;
    this.keyNeeded = keyNeeded;
    this.corsConfigured = !corsOrigins.isEmpty();
  }

  /**
   * True when a read with these headers passes the key check and needs no CORS headers: reads are open (or the
   * presented key has a scope that reads), and the request has no {@code Origin} while CORS origins are configured.
   */
  public boolean answerable(String xApiKey, String authorization, String origin) {
    if (corsConfigured && origin != null) {
      return false;
    }
    if (!keyNeeded) {
      return true;
    }
    return ApiKeys.presented(xApiKey, authorization).flatMap(keys::match)
        .map(k -> k.scope().allows(ApiKeys.Scope.READ)).orElse(false);
  }
}
