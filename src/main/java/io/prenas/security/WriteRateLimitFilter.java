package io.prenas.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a client's write beyond its rate {@code 429 Too Many Requests} (problem+json with {@code Retry-After}),
 * before the write reaches a controller. Runs after the key filter, so a client is the name of its API key; a request
 * without a valid key never gets here.
 */
final class WriteRateLimitFilter extends OncePerRequestFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final WriteRateLimiter limiter;

  WriteRateLimitFilter(WriteRateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (READS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
      chain.doFilter(request, response);
      return;
    }
    Object key = request.getAttribute(ApiKeyFilter.KEY_NAME_ATTRIBUTE);
    String client = key != null ? "key:" + key : "address:" + request.getRemoteAddr();
    long retryAfter = limiter.acquire(client);
    if (retryAfter > 0) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
      Problems.write(response, request, 429, "Too many requests", "more writes than prenas.rate-limit allows for "
          + "this client; retry after " + retryAfter + " s", null);
      return;
    }
    chain.doFilter(request, response);
  }
}
