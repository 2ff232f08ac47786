package io.prenas.system;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.prenas.security.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Lets through only requests that carry a {@code write} API key (the dashboard can delete and requeue jobs). A
 * browser sends the key as the password of HTTP Basic authentication (any user name); a script may send it as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as for the HTTP API.
 */
final class DashboardKeyCheck extends Authenticator {

  static final String CHALLENGE = "Basic realm=\"prenas dashboard: an API key with scope write as the password\", "
      + "charset=\"UTF-8\"";
  private final ApiKeys keys;

  DashboardKeyCheck(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    Optional<ApiKeys.Entry> key = presentedKey(exchange.getRequestHeaders()).flatMap(keys::match);
    if (key.isEmpty()) {
      exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
      return new Failure(401);
    }
    if (!key.get().scope().allows(ApiKeys.Scope.WRITE)) {
      return new Failure(403);
    }
    return new Success(new HttpPrincipal(key.get().name(), "prenas"));
  }

  static Optional<String> presentedKey(Headers headers) {
    String header = headers.getFirst("X-API-Key");
    if (header != null && !header.isBlank()) {
      return Optional.of(header.strip());
    }
    String auth = headers.getFirst("Authorization");
    if (auth == null) {
      return Optional.empty();
    }
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return nonBlank(auth.substring(7));
    }
    if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return basicPassword(auth.substring(6).strip());
    }
    return Optional.empty();
  }

  private static Optional<String> basicPassword(String credentials) {
    try {
      String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty() : nonBlank(decoded.substring(colon + 1));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  private static Optional<String> nonBlank(String s) {
    return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }
}
