package io.prenas.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problems written by the filter itself, which runs before Spring MVC and its exception handler; the
 * shape is the one {@code ApiExceptionHandler} produces (with {@code field} naming what is at fault).
 */
final class Problems {

  /** Serialises plain maps only, so Jackson's defaults are the API's (escaping included). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  static void write(HttpServletResponse response, HttpServletRequest request, int status, String title,
      String detail, String field) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    problem.put("field", field);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(JSON.writeValueAsBytes(problem));
  }
}
