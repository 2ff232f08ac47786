package io.prenas.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.prenas.catalog.CatalogConflictException;
import io.prenas.catalog.NoModelFitsException;
import io.prenas.catalog.ReleaseException;
import io.prenas.catalog.SpaceLimitException;
import io.prenas.catalog.SpaceNotFoundException;
import io.prenas.catalog.UploadProperties;
import io.prenas.job.JobConflictException;
import io.prenas.job.JobNotFoundException;
import io.prenas.job.JobOptionException;
import io.prenas.space.PreferredFileException;
import io.prenas.space.SpaceException;
import io.prenas.storage.ArtifactTooLargeException;
import io.prenas.storage.StorageFailure;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.SafetensorsException;
import io.prenas.tensorio.pth.PthException;
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
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every error of the API into an RFC 9457 {@code application/problem+json} response. A problem caused by one
 * request field carries its name in the {@code field} property (a query parameter, a header, a body field such as
 * {@code options.epochs}, or {@code yaml} with the YAML key in {@code key}).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);
  private static final int MAX_DETAIL = 1000;

  private final long maxUploadBytes;

  ApiExceptionHandler(UploadProperties upload) {
    this.maxUploadBytes = upload.maxSize().toBytes();
  }

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

  /** An unknown release (404), one of another space (422), or one whose models are all withdrawn (404). */
  @ExceptionHandler(ReleaseException.class)
  ProblemDetail release(ReleaseException e) {
    return switch (e.kind()) {
      case UNKNOWN -> problem(HttpStatus.NOT_FOUND, "Unknown release", e.getMessage(), "release");
      case OTHER_SPACE -> problem(HttpStatus.UNPROCESSABLE_ENTITY, "Release of another space", e.getMessage(),
          "release");
      case ALL_WITHDRAWN -> problem(HttpStatus.NOT_FOUND, "Every model of the release is withdrawn", e.getMessage(),
          "release");
    };
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

  /** A space beyond a registration limit: well-formed, but too large to accept (422, naming the bound). */
  @ExceptionHandler(SpaceLimitException.class)
  ProblemDetail spaceTooLarge(SpaceLimitException e) {
    ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Search space too large", e.getMessage(), "yaml");
    p.setProperty("limit", "prenas.spaces.limits." + e.bound());
    return p;
  }

  /** A refused preferred-architecture file: the body is at fault, {@code pointer} says where in it. */
  @ExceptionHandler(PreferredFileException.class)
  ProblemDetail invalidPreferredFile(PreferredFileException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid preferred-architecture file", e.getMessage(), "body");
    p.setProperty("pointer", e.pointer());
    return p;
  }

  /**
   * A refused job: 400 for a wrong value, 404 for a job named that does not exist, 409 for one that has not got
   * there yet, 422 for a well-formed job that could not run (too many bins, no data, a job of the wrong kind).
   */
  @ExceptionHandler(JobOptionException.class)
  ProblemDetail invalidJob(JobOptionException e) {
    return switch (e.kind()) {
      case MALFORMED -> problem(HttpStatus.BAD_REQUEST, "Invalid job", e.getMessage(), e.field());
      case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Unknown job referenced", e.getMessage(), e.field());
      case NOT_READY -> problem(HttpStatus.CONFLICT, "Referenced job not ready", e.getMessage(), e.field());
      case UNRUNNABLE -> problem(HttpStatus.UNPROCESSABLE_ENTITY, "Job cannot run", e.getMessage(), e.field());
    };
  }

  @ExceptionHandler(CatalogConflictException.class)
  ProblemDetail catalogConflict(CatalogConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), e.field());
  }

  @ExceptionHandler(JobConflictException.class)
  ProblemDetail jobConflict(JobConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), e.field());
  }

  @ExceptionHandler(WeightsException.class)
  ProblemDetail wrongLayout(WeightsException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Supernet weights do not match the space", e.getMessage(),
        "file");
    p.setProperty("tensor", e.key());
    return p;
  }

  @ExceptionHandler(SafetensorsException.class)
  ProblemDetail notSafetensors(SafetensorsException e) {
    return problem(HttpStatus.BAD_REQUEST, "Not a valid safetensors file", e.getMessage(), "file");
  }

  @ExceptionHandler(PthException.class)
  ProblemDetail notAPyTorchCheckpoint(PthException e) {
    return problem(HttpStatus.BAD_REQUEST, "Not an acceptable PyTorch checkpoint", e.getMessage(), "file");
  }

  @ExceptionHandler(ArtifactTooLargeException.class)
  ProblemDetail tooLarge(ArtifactTooLargeException e) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large", e.getMessage(), "file");
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    // Tomcat's multipart limit reports no size (-1); the limit is the configured one either way.
    long limit = ex.getMaxUploadSize() > 0 ? ex.getMaxUploadSize() : maxUploadBytes;
    return respond(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large",
        "larger than the limit of " + limit + " bytes", "file"));
  }

  @Override
  protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    return respond(problem(HttpStatus.NOT_FOUND, "Not found", "no such resource: /" + abbreviate(ex.getResourcePath()),
        null));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getName() + ": '" + abbreviate(e.getValue())
        + "' is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName()),
        e.getName());
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
      String why = jme instanceof UnrecognizedPropertyException ? "unknown field" : "invalid value: " + expected(jme);
      return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request body", field + ": " + why, field));
    }
    if (cause instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request body",
          "the body must be " + JsonErrors.typeName(mie.getTargetType()) + " (JSON)", "body"));
    }
    return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request body", cause instanceof JsonProcessingException jpe
        ? "the body is not valid JSON for this request: " + JsonErrors.describe(jpe)
        : "a JSON body is required", "body"));
  }

  /** What a body field must be, in the API's words (Jackson's own message names Java types). */
  private static String expected(JsonMappingException e) {
    Class<?> type = e instanceof MismatchedInputException mie ? mie.getTargetType() : null;
    if (type == null) {
      return JsonErrors.describe(e);
    }
    return "expected " + JsonErrors.typeName(type);
  }

  /** A multipart body that cannot be parsed (no boundary, truncated); an oversized one is handled above. */
  @ExceptionHandler(MultipartException.class)
  ProblemDetail malformedMultipart(MultipartException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request body",
        "the multipart body is malformed (a boundary in the Content-Type and complete parts are required)", "body");
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

  /** A value echoed in a detail: long ones are cut so that the rest of the sentence stays readable. */
  private static String abbreviate(Object value) {
    String s = String.valueOf(value);
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
    // Details echo the value at fault; a huge one (a 5 MB string, a 400-digit number) is cut, not sent back whole.
    String d = detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, d);
    p.setTitle(title);
    if (field != null) {
      p.setProperty("field", field);
    }
    return p;
  }
}
