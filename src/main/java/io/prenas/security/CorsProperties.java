package io.prenas.security;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.cors.*}: CORS for {@code /api/**}. Each list is comma-separated (blanks ignored); no allowed origin
 * means no CORS headers at all.
 *
 * @param allowedOrigins origins or origin patterns such as {@code https://*.example.com}
 * @param maxAge how long a browser may cache a preflight answer
 */
@Validated
@ConfigurationProperties("prenas.cors")
record CorsProperties(
    @DefaultValue("") String allowedOrigins,
    @DefaultValue("GET,HEAD,POST,OPTIONS") String allowedMethods,
    @DefaultValue("Authorization,X-API-Key,Content-Type,Range,If-None-Match,Idempotency-Key") String allowedHeaders,
    @DefaultValue("ETag,Location,Content-Disposition,Content-Range,Accept-Ranges,WWW-Authenticate")
    String exposedHeaders,
    @DefaultValue("1h") @NotNull Duration maxAge) {

  List<String> origins() {
    return list(allowedOrigins);
  }

  List<String> methods() {
    return list(allowedMethods);
  }

  List<String> headers() {
    return list(allowedHeaders);
  }

  List<String> exposed() {
    return list(exposedHeaders);
  }

  private static List<String> list(String csv) {
    return csv == null ? List.of()
        : Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
