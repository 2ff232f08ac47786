package io.prenas.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests it rejects before they reach Spring (an encoded '/' or '\' in the path, a
 * malformed request line, an error page it cannot forward to): problem+json like every other API error instead of
 * Tomcat's HTML page with its version. Installed as the host's error report valve by {@link ServerErrorConfiguration}.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As Tomcat's own report: nothing for non-errors, after content was written, or for an error reported already.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", known == null ? "Error" : known.getReasonPhrase());
    problem.put("status", status);
    problem.put("detail", status < 500
        ? "the HTTP server rejected the request before it reached the API: a malformed or oversized URL, request "
            + "line or header (an encoded '/', '\\' or NUL in the path is never accepted)"
        : "the server failed to answer; the error is in its log");
    try {
      byte[] body = JSON.writeValueAsBytes(problem);
      response.setContentType("application/problem+json");
      response.setContentLength(body.length);
      OutputStream out = response.getOutputStream();
      out.write(body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client went away or the response was committed meanwhile: nothing left to report to
    }
  }
}
