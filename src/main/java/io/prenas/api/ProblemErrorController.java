package io.prenas.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code server.error.path}, /error): errors that happen outside the controllers
 * (in a filter, or a {@code sendError} without a handler) are answered as problem+json like the rest of the API,
 * never with the exception, its message or a stack trace. Replaces Spring Boot's BasicErrorController.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping(path = "${server.error.path:${error.path:/error}}",
      produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // Asked for directly, /error is not a resource of the API.
    HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null ? HttpStatus.valueOf(i)
        : HttpStatus.NOT_FOUND;
    String detail = code == null ? "no such resource"
        : status.is5xxServerError() ? "the server failed to answer; the error is in its log"
        : "the request was rejected: " + status.getReasonPhrase();
    ProblemDetail p = ApiExceptionHandler.problem(status, status.getReasonPhrase(), detail, null);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (uri instanceof String s) {
      p.setInstance(java.net.URI.create(s.replaceAll("[^A-Za-z0-9._~/-]", "_")));
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
