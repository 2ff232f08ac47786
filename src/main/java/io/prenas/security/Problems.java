package io.prenas.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 9457 problems written by the filter itself, which runs before Spring MVC and its exception handler; the
 * shape is the one {@code ApiExceptionHandler} produces (with {@code field} naming what is at fault).
 */
final class Problems {

  private Problems() {}

  static void write(HttpServletResponse response, HttpServletRequest request, int status, String title,
      String detail, String field) throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String json = "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status
        + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(request.getRequestURI())
        + ",\"field\":" + quote(field) + "}";
    response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
