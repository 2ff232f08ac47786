package io.prenas.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problems written before Spring MVC and its exception handler (the filters here, the serving port); the
 * shape is the one {@code ApiExceptionHandler} produces (with {@code field} naming what is at fault).
 */
public final class Problems {

  /** Serialises plain maps only, so Jackson's defaults are the API's (escaping included). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  static void write(HttpServletResponse response, HttpServletRequest request, int status, String title,
      String detail, String field) throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(json(status, title, detail, request.getRequestURI(), field));
  }

  /** The problem's JSON body. */
  public static byte[] json(int status, String title, String detail, String instance, String field) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", instance);
    problem.put("field", field);
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // plain strings and numbers: cannot happen
    }
  }
}
