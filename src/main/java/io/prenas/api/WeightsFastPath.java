package io.prenas.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Whole-file weight downloads ({@code GET /api/v1/models/{id}/weights}) of files already looked up once, served ahead
 * of Spring MVC with the same headers as the controller and Tomcat's sendfile. For a 2 MB file at one client, Spring
 * MVC's dispatch was about as long as sending the file, and downloads ran at half nginx's rate on the same file.
 *
 * <p>Everything else goes on to the controller: a file not yet in {@link WeightsFiles}' memory (the first download
 * of each model and format), a {@code Range} or {@code If-None-Match} header, a format that is not plainly
 * {@code safetensors} or {@code onnx}, other query parameters, a connector without sendfile. The security filters run
 * before this one, and the request counts in {@code http.server.requests} under its URI template.
 */
final class WeightsFastPath extends OncePerRequestFilter {

  static final String PATTERN = "/api/v1/models/{id}/weights";
  private static final Pattern PATH = Pattern.compile("/api/v1/models/(\\d{1,18})/weights");

  private final WeightsFiles files;

  WeightsFastPath(WeightsFiles files) {
    this.files = files;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    WeightsFiles.WeightsFile w = known(request);
    if (w == null || !w.sendfile(request)) {
      chain.doFilter(request, response);
      return;
    }
    ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(PATTERN));
    response.setStatus(HttpServletResponse.SC_OK);
    w.headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentLengthLong(w.file().size()); // Tomcat sends the file (sendfile attributes) after the headers
  }

  /** The remembered file this request asks for whole, or null when the controller should answer. */
  private WeightsFiles.WeightsFile known(HttpServletRequest request) {
    if (request.getHeader(HttpHeaders.RANGE) != null || request.getHeader(HttpHeaders.IF_NONE_MATCH) != null) {
      return null;
    }
    WeightsFiles.WeightsFile w = remembered(files, request.getRequestURI().substring(
        request.getContextPath().length()), request.getQueryString());
    // Tomcat opens the file only after the headers are out: make sure it is still there
    return w != null && w.onDisk() ? w : null;
  }

  /**
   * The remembered file a whole-file GET of this path (undecoded, without its query) and query string asks for, or
   * null when the controller should answer; the disk is not checked. Servlet-free: the serving port
   * ({@link ServingListener}) asks the same, and opens the file at once.
   */
  static WeightsFiles.WeightsFile remembered(WeightsFiles files, String path, String query) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return null;
    }
    ModelController.WeightsFormat format = format(query);
    return format == null ? null : files.remembered(Long.parseLong(m.group(1)), format);
  }

  /** The format of a query string that is empty or exactly one plain {@code format=...}, else null. */
  private static ModelController.WeightsFormat format(String query) {
    if (query == null || query.isEmpty()) {
      return ModelController.WeightsFormat.SAFETENSORS;
    }
    return switch (query) {
      case "format=safetensors" -> ModelController.WeightsFormat.SAFETENSORS;
      case "format=onnx" -> ModelController.WeightsFormat.ONNX;
      default -> null;
    };
  }
}
