package io.prenas.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.prenas.catalog.CatalogConflictException;
import io.prenas.catalog.NoModelFitsException;
import io.prenas.catalog.SpaceNotFoundException;
import io.prenas.catalog.SupernetLayout;
import io.prenas.job.JobConflictException;
import io.prenas.job.JobNotFoundException;
import io.prenas.job.JobOptionException;
import io.prenas.space.SpaceException;
import io.prenas.storage.ArtifactTooLargeException;
import io.prenas.storage.StorageFailure;
import io.prenas.tensorio.SafetensorsException;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the API into an RFC 9457 {@code application/problem+json} response. A problem caused by one
 * request field carries its name in the {@code field} property (a query parameter, a header, a body field such as
 * {@code options.epochs}, or {@code yaml} with the YAML key in {@code key}).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiProblem.class)
  ProblemDetail badRequest(ApiProblem e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.field());
  }

  @ExceptionHandler(NotFound.class)
  ProblemDetail notFound(NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), e.field());
  }

  @ExceptionHandler(SpaceNotFoundException.class)
  ProblemDetail spaceNotFound(SpaceNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Unknown search space", e.getMessage(), "space");
  }

  @ExceptionHandler(JobNotFoundException.class)
  ProblemDetail jobNotFound(JobNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Unknown job", e.getMessage(), "id");
  }

  @ExceptionHandler(NoModelFitsException.class)
  ProblemDetail noModelFits(NoModelFitsException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, "No model fits the budget", e.getMessage(), null);
    if (e.minimalMaxParams() != null) {
      p.setProperty("minimalMaxParams", e.minimalMaxParams());
    }
    if (e.minimalMaxFlops() != null) {
      p.setProperty("minimalMaxFlops", e.minimalMaxFlops());
    }
    return p;
  }

  @ExceptionHandler(SpaceException.class)
  ProblemDetail invalidSpace(SpaceException e) {
    String key = e.key();
    boolean requestField = "name".equals(key) || "yaml".equals(key) || "space".equals(key);
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid search space", e.getMessage(),
        requestField ? key : "yaml");
    if (!requestField && key != null) {
      p.setProperty("key", key);
    }
    return p;
  }

  @ExceptionHandler(JobOptionException.class)
  ProblemDetail invalidJob(JobOptionException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid job", e.getMessage(), e.field());
  }

  @ExceptionHandler(CatalogConflictException.class)
  ProblemDetail catalogConflict(CatalogConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), e.field());
  }

  @ExceptionHandler(JobConflictException.class)
  ProblemDetail jobConflict(JobConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), e.field());
  }

  @ExceptionHandler(SupernetLayout.SupernetLayoutException.class)
  ProblemDetail wrongLayout(SupernetLayout.SupernetLayoutException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Supernet weights do not match the space", e.getMessage(),
        "file");
    p.setProperty("tensor", e.tensor());
    return p;
  }

  @ExceptionHandler(SafetensorsException.class)
  ProblemDetail notSafetensors(SafetensorsException e) {
    return problem(HttpStatus.BAD_REQUEST, "Not a valid safetensors file", e.getMessage(), "file");
  }

  @ExceptionHandler(ArtifactTooLargeException.class)
  ProblemDetail tooLarge(ArtifactTooLargeException e) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large", e.getMessage(), "file");
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return respond(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large",
        "larger than the limit of " + ex.getMaxUploadSize() + " bytes", "file"));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getName() + ": '" + e.getValue() + "' is not a valid "
        + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName()), e.getName());
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getParameterName() + " is required",
        ex.getParameterName()));
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request", "part '" + ex.getRequestPartName()
        + "' is required", ex.getRequestPartName()));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String supported = ex.getSupportedMediaTypes().stream().map(MediaType::toString)
        .collect(Collectors.joining(", "));
    return respond(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type",
        "content type " + ex.getContentType() + " is not accepted here (accepted: " + supported + ")",
        "Content-Type"));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    Throwable cause = ex.getCause();
    if (cause instanceof ValueInstantiationException vie && vie.getCause() instanceof JobOptionException joe) {
      return respond(invalidJob(joe));
    }
    if (cause instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
      String field = jme.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[");
      String why = jme instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
          ? "unknown field" : "invalid value: " + jme.getOriginalMessage();
      return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request body", field + ": " + why, field));
    }
    return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request body",
        "the body is not valid JSON for this request" + (cause == null ? "" : ": " + firstLine(cause.getMessage())),
        "body"));
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    HttpHeaders h = new HttpHeaders();
    h.putAll(headers);
    h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(body, h, statusCode);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e) {
    if (DatabaseOutage.isOutage(e)) {
      // The database is down or restarting: say so and when to retry; the pool reconnects by itself.
      LOG.warn("database unavailable: {}", DatabaseOutage.firstLine(e));
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
          .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(HttpStatus.SERVICE_UNAVAILABLE,
              "Database unavailable", "the database cannot be reached right now; retry in a few seconds", null));
    }
    Optional<String> storage = StorageFailure.reason(e);
    if (storage.isPresent()) {
      LOG.error("artifact storage failure", e);
      return respond(problem(HttpStatus.INSUFFICIENT_STORAGE, "Storage unavailable",
          "the server's artifact storage cannot take the file: " + storage.get(), null));
    }
    LOG.error("unexpected error", e);
    return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
        "the server failed to answer; the error is in its log", null));
  }

  private static ResponseEntity<Object> respond(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    if (field != null) {
      p.setProperty("field", field);
    }
    return p;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
