package io.prenas.api;

import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The budget lookup's successful answers ({@code GET /api/v1/models/best} with a model to return), served ahead of
 * Spring MVC. The lookup itself is an in-memory walk after one version check, but dispatching it through Spring MVC
 * (handler mapping, argument resolution, message conversion) took most of the server's time per request, and under
 * 1,000 requests/s on two cores that time was the tail latency. This filter parses the same parameters with the
 * controller's own rules, asks the same catalog method, and writes the answer's JSON as {@link ModelResponses} keeps
 * it, byte for byte what the controller writes.
 *
 * <p>Everything else goes on to the controller unchanged: a parameter that is missing, repeated or malformed, an
 * {@code Accept} header that is not plainly JSON, a lookup that throws (no model fits, unknown space or release,
 * database away): the controller then answers it, with its problem details, exactly as before. The security filters
 * (keys, CORS, rate limit) run before this one, and the request still counts in {@code http.server.requests} under
 * its URI template.
 */
final class BestModelFastPath extends OncePerRequestFilter {

  static final String PATH = "/api/v1/models/best";
  private static final Set<String> PARAMETERS = Set.of("space", "maxParams", "maxFlops", "release");
  private static final Set<String> JSON_ACCEPTS = Set.of("*/*", "application/*", MediaType.APPLICATION_JSON_VALUE);

  private final ModelCatalog models;
  private final ModelResponses responses;

  BestModelFastPath(ModelCatalog models, ModelResponses responses) {
    this.models = models;
    this.responses = responses;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod())
        || !request.getRequestURI().equals(request.getContextPath() + PATH);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    byte[] answer = answer(request::getParameterValues, request.getHeader("Accept"));
    if (answer == null) {
      chain.doFilter(request, response);
      return;
    }
    ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(PATH));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setContentLength(answer.length);
    response.getOutputStream().write(answer);
  }

  /**
   * The answer's JSON, or null when the controller should answer (anything but a plain success). Servlet-free: the
   * serving port ({@link ServingListener}) asks the same.
   *
   * @param parameters the values of a query parameter by name (null when absent), as
   *     {@code ServletRequest.getParameterValues}
   * @param accept the request's {@code Accept} header, or null
   */
  byte[] answer(Function<String, String[]> parameters, String accept) {
    if (!acceptsJson(accept)) {
      return null;
    }
    for (String name : PARAMETERS) {
      String[] values = parameters.apply(name);
      if (values != null && values.length > 1) {
        return null; // the controller sees them joined with commas and says what is wrong
      }
    }
    String space = first(parameters.apply("space"));
    String rawRelease = first(parameters.apply("release"));
    if (space == null || space.isBlank() || (rawRelease != null && rawRelease.isBlank())) {
      return null;
    }
    try {
      Double maxParams = ModelController.Budget.parse("maxParams", first(parameters.apply("maxParams")));
      Double maxFlops = ModelController.Budget.parse("maxFlops", first(parameters.apply("maxFlops")));
      if (maxParams == null && maxFlops == null) {
        return null;
      }
      // trim(), as Spring's String-to-UUID conversion does
      UUID release = rawRelease == null ? null : UUID.fromString(rawRelease.trim());
      PublishedModel best = models.best(space, release,
          maxParams == null ? null : ModelController.Budget.paramsBound(maxParams), maxFlops);
      return responses.lookupAnswer(best).json();
    } catch (RuntimeException e) {
      return null; // a problem to explain (or a database outage): the controller does it
    }
  }

  private static String first(String[] values) {
    return values == null || values.length == 0 ? null : values[0];
  }

  /** No Accept header, or one that lists only JSON or wildcards without parameters. */
  static boolean acceptsJson(String accept) {
    if (accept == null) {
      return true;
    }
    for (String type : accept.split(",")) {
      if (!JSON_ACCEPTS.contains(type.strip())) {
        return false;
      }
    }
    return true;
  }
}
