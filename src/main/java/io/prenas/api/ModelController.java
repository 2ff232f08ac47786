package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.NoModelFitsException;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceNotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "models", description = "Published subnets: budget lookup, weights and configs")
class ModelController {

  private final ModelCatalog models;
  private final SpaceCatalog spaces;
  private final ObjectMapper json;
  private final ModelResponses responses;
  private final WeightsFiles weightsFiles;

  ModelController(ModelCatalog models, SpaceCatalog spaces, ObjectMapper json, ModelResponses responses,
      WeightsFiles weightsFiles) {
    this.models = models;
    this.spaces = spaces;
    this.json = json;
    this.responses = responses;
    this.weightsFiles = weightsFiles;
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listModels", summary = "List published models",
      description = "Ordered by id, with optional filters. With a space, the models of its newest release (or of "
          + "?release=); without one, every published model. Withdrawn models are listed, marked withdrawn.")
  @ApiResponse(responseCode = "200", description = "A page of models")
  @ApiResponse(responseCode = "400", description = "A malformed budget or release (the parameter is named)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such release (field release)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "422", description = "The release is of another space (field release)",
      content = @Content(mediaType = "application/problem+json"))
  PageResponse<ModelResponse> list(
      @Parameter(description = "Only models of this space", example = "autoformer-tiny")
      @RequestParam(required = false) String space,
      @Parameter(description = "Only models with at most this many parameters", example = "7000000")
      @RequestParam(required = false) String maxParams,
      @Parameter(description = "Only models with at most this many FLOPs (MACs)", example = "1.6e9")
      @RequestParam(required = false) String maxFlops,
      @Parameter(description = "Only models of this release (GET /spaces/{name}/releases); default with a space: "
          + "the space's newest release") @RequestParam(required = false) UUID release,
      @Parameter(description = "Page number, from 0", example = "0") @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "Page size, 1 to 100", example = "20") @RequestParam(defaultValue = "20") int size) {
    Double p = Budget.parse("maxParams", maxParams);
    Double f = Budget.parse("maxFlops", maxFlops);
    return PageResponse.of(models.search(space, release, p == null ? null : Budget.paramsBound(p), f,
        JobController.pageRequest(page, size, Sort.by("id"))), this::response);
  }

  @GetMapping(path = "/best", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getBestModel", summary = "The best published model within a budget",
      description = "The model of the space with the highest validation top-1 accuracy among those with at most "
          + "maxParams parameters and at most maxFlops FLOPs (either budget or both; ties: fewer FLOPs), within the "
          + "space's newest release (or ?release=), withdrawn models excluded. Served from an in-memory index that "
          + "every request first checks against the database's catalog version: no tensor work, no full scan, "
          + "never stale on any node.")
  @ApiResponse(responseCode = "200", description = "The best model")
  @ApiResponse(responseCode = "400", description = "Missing space, or a missing, negative, zero, non-numeric or "
      + "non-finite budget (the parameter is named)", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such space or release, or no model fits (the problem says the "
      + "smallest budget that would: minimalMaxParams, minimalMaxFlops), or every model of the release is withdrawn "
      + "(field release; no fallback to an older release)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "422", description = "The release is of another space (field release)",
      content = @Content(mediaType = "application/problem+json"))
  ModelResponse best(
      @Parameter(description = "Space name", example = "autoformer-tiny", required = true)
      @RequestParam(required = false) String space,
      @Parameter(description = "Parameter budget (a positive number)", example = "7000000")
      @RequestParam(required = false) String maxParams,
      @Parameter(description = "FLOPs budget in multiply-accumulates (a positive number)", example = "1.6e9")
      @RequestParam(required = false) String maxFlops,
      @Parameter(description = "Answer within this release of the space (GET /spaces/{name}/releases); default: "
          + "the space's newest") @RequestParam(required = false) UUID release) {
    if (space == null || space.isBlank()) {
      throw new ApiProblem("space", "is required");
    }
    Double p = Budget.parse("maxParams", maxParams);
    Double f = Budget.parse("maxFlops", maxFlops);
    if (p == null && f == null) {
      throw new ApiProblem(maxParams == null ? "maxParams" : "maxFlops",
          "a budget is required: give maxParams, maxFlops or both");
    }
    try {
      // The hot path is one indexed query; the space is only looked up to explain an empty answer (a registered
      // space would otherwise be parsed from its YAML on every lookup).
      return responses.lookupAnswer(models.best(space, release, p == null ? null : Budget.paramsBound(p), f))
          .response();
    } catch (NoModelFitsException e) {
      if (!spaces.exists(space)) {
        throw new SpaceNotFoundException(space);
      }
      throw e;
    }
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getModel", summary = "Get a published model")
  @ApiResponse(responseCode = "200", description = "The model")
  @ApiResponse(responseCode = "404", description = "No such model",
      content = @Content(mediaType = "application/problem+json"))
  ModelResponse get(@PathVariable long id) {
    return response(model(id));
  }

  @PostMapping(path = "/{id}/withdraw", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "withdrawModel", summary = "Withdraw a model (write scope)",
      description = "Takes the model out of models/best at once, on every api node; it stays listed and downloadable "
          + "by id, with withdrawn: true and the reason. Idempotent: withdrawing a withdrawn model answers 200 with "
          + "the first withdrawal's reason and time unchanged.")
  @ApiResponse(responseCode = "200", description = "The model, withdrawn")
  @ApiResponse(responseCode = "400", description = "No reason, or one over 1000 characters (field reason)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such model",
      content = @Content(mediaType = "application/problem+json"))
  ModelResponse withdraw(@PathVariable long id,
      @org.springframework.web.bind.annotation.RequestBody(required = false) WithdrawRequest body) {
    String reason = body == null || body.reason() == null ? "" : body.reason().strip();
    if (reason.isEmpty()) {
      throw new ApiProblem("reason", "a reason is required: {\"reason\": \"...\"}");
    }
    if (reason.length() > 1000) {
      throw new ApiProblem("reason", "must be at most 1000 characters, got " + reason.length());
    }
    return response(models.withdraw(id, reason).orElseThrow(() -> new NotFound("id", "no model with id " + id)));
  }

  @GetMapping(path = "/{id}/config", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getModelConfig", summary = "The JSON architecture config of a model",
      description = "The architecture config in its family's format (for a ViT the reference config: layer_num, "
          + "embed_dim, mlp_ratio, num_heads) that goes with the weights.")
  @ApiResponse(responseCode = "200", description = "The config", content = @Content(
      mediaType = MediaType.APPLICATION_JSON_VALUE,
      schema = @Schema(implementation = ArchitectureConfig.class)))
  @ApiResponse(responseCode = "404", description = "No such model",
      content = @Content(mediaType = "application/problem+json"))
  JsonNode config(@PathVariable long id) throws IOException {
    return json.readTree(model(id).config());
  }

  @RequestMapping(path = "/{id}/weights", method = {RequestMethod.GET, RequestMethod.HEAD},
      produces = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
  @Operation(operationId = "getModelWeights", summary = "Download the standalone model (safetensors or ONNX)",
      description = "format=safetensors (default): our standalone weights with their metadata. format=onnx: the same "
          + "model as an ONNX graph (opset 17; input pixels float32 [N, C, H, W] with a dynamic batch N; output "
          + "logits float32 [N, classes]; eval mode; the standalone tensors as initializers), made once from the "
          + "safetensors file. Either file: strong ETag = its SHA-256; If-None-Match answers 304; a Range header "
          + "answers 206 with that part. HEAD gives the headers only.")
  @ApiResponse(responseCode = "200", description = "The file",
      headers = {@Header(name = "ETag", description = "\"<sha256>\"", schema = @Schema(type = "string")),
          @Header(name = "Content-Disposition", description = "attachment; filename=...",
              schema = @Schema(type = "string"))},
      content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
          schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(responseCode = "206", description = "The requested range")
  @ApiResponse(responseCode = "304", description = "Not modified (If-None-Match matched)")
  @ApiResponse(responseCode = "400", description = "Unknown format (the problem names format)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such model, or no ONNX export for its model family",
      content = @Content(mediaType = "application/problem+json"))
  ResponseEntity<Resource> weights(@PathVariable long id,
      @Parameter(description = "File format: safetensors (default) or onnx", example = "onnx",
          schema = @Schema(allowableValues = {"safetensors", "onnx"}))
      @RequestParam(required = false) String format,
      @Parameter(description = "ETag of a copy the client has")
      @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
      @Parameter(hidden = true) HttpServletRequest request) throws IOException {
    WeightsFiles.WeightsFile w = weightsFiles.get(id, WeightsFormat.parse(format));
    String etag = w.etag();
    if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
    }
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok().headers(w.headers());
    if (w.sendfile(request)) {
      return ok.contentLength(w.file().size()).build(); // Tomcat sends the file itself (zero-copy) once the headers go
    }
    return ok.body(new FileSystemResource(w.file().file()));
  }

  /** Cache-Control of a weights file: its URL names its content for good (the model's id and format). */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** The formats of {@code /weights}: the file name extension of each. */
  enum WeightsFormat {
    SAFETENSORS(".safetensors"), ONNX(".onnx");

    final String extension;

    WeightsFormat(String extension) {
      this.extension = extension;
    }

    static WeightsFormat parse(String raw) {
      if (raw == null) {
        return SAFETENSORS;
      }
      for (WeightsFormat f : values()) {
        if (f.name().toLowerCase(Locale.ROOT).equals(raw.strip().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new ApiProblem("format", "must be safetensors or onnx, got '" + raw + "'");
    }
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private PublishedModel model(long id) {
    return models.find(id).orElseThrow(() -> new NotFound("id", "no model with id " + id));
  }

  private ModelResponse response(PublishedModel m) {
    return responses.of(m);
  }

  /** Budget query parameters: positive finite numbers, named in the error. */
  static final class Budget {
    /** Compiled once: String.matches compiled it on every lookup. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Budget() {}

    static Double parse(String name, String raw) {
      if (raw == null) {
        return null;
      }
      String s = raw.strip();
      double v;
      try {
        if (s.isEmpty() || !NUMBER.matcher(s).matches()) {
          throw new NumberFormatException();
        }
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new ApiProblem(name, "must be a number, got '" + raw + "'");
      }
      if (Double.isInfinite(v) || Double.isNaN(v)) {
        throw new ApiProblem(name, "must be finite, got '" + raw + "'");
      }
      if (v <= 0) {
        throw new ApiProblem(name, "must be positive, got '" + raw + "'");
      }
      return v;
    }

    /** Models have whole parameter counts: a budget of 5.9e6 allows 5,900,000. */
    static long paramsBound(double v) {
      return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(v);
    }
  }
}
