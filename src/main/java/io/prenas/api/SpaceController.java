package io.prenas.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.job.PreferredTableImport;
import io.prenas.space.SearchSpace;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/spaces")
@Tag(name = "spaces", description = "Search spaces, their preferred tables and supernet weights")
class SpaceController {

  static final String YAML = "application/yaml";
  static final String TEXT_YAML = "text/yaml";
  static final String REGISTER_DESCRIPTION = "The body is JSON {name, yaml} (application/json), or the YAML itself "
      + "(text/yaml or application/yaml) with the name as the query parameter `name`. The YAML is validated with the "
      + "space loader; an error names the YAML key at fault (`key`).";
  static final String IMPORT_DESCRIPTION = "A safetensors file in the reference layout of the space (tensor names "
      + "and shapes are checked), as the raw body (application/octet-stream) or as the multipart part `file`. Stored "
      + "content-addressed; the space then uses it for selection, training and publication. A PyTorch checkpoint "
      + "(.pth, told apart by its first bytes) is accepted too: its `model` entry, or the file when it is a bare "
      + "state dict, is stored as safetensors; only an allowlist of Python globals is accepted (README).";

  static final String IMPORT_PREFERRED_DESCRIPTION = "A preferred-architecture file in the reference's format "
      + "(PreNAS `interval_cands/*.json`, also what `select` writes): an object whose keys are the bins' upper bounds, "
      + "each a list of architecture configs with `num_params` (millions of parameters) and `score`, best first. "
      + "Every architecture is checked against the space and its parameters are recounted: a `num_params` that does "
      + "not round to the count is an error naming the bin and entry. The table is stored under a new selection job "
      + "that has already succeeded (options `{\"source\": \"import\"}`), so its id works wherever a selection "
      + "job is taken: `selectionJob` of training and evaluation, `GET /spaces/{name}/preferred?job=`. Nothing is "
      + "stored when the file is refused.";
  static final String PREFERRED_EXAMPLE = "{\"6.0\": [{\"layer_num\": 12, \"mlp_ratio\": [4.0, 4.0, 4.0, 4.0, "
      + "4.0, 3.5, 3.5, 4.0, 4.0, 3.5, 4.0, 4.0], \"num_heads\": [4, 4, 4, 4, 3, 3, 3, 3, 3, 4, 3, 4], "
      + "\"embed_dim\": [192, 192, 192, 192, 192, 192, 192, 192, 192, 192, 192, 192], \"num_params\": 5.99476, "
      + "\"score\": 1010076.75}]}";

  private final SpaceCatalog spaces;
  private final PreferredTables preferred;
  private final PreferredTableImport imports;
  private final ObjectMapper json;
  private final ModelCatalog models;

  SpaceController(SpaceCatalog spaces, PreferredTables preferred, PreferredTableImport imports, ObjectMapper json,
      ModelCatalog models) {
    this.models = models;
    this.spaces = spaces;
    this.preferred = preferred;
    this.imports = imports;
    this.json = json;
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listSpaces", summary = "List the search spaces",
      description = "The built-in spaces, then the registered ones.")
  List<SpaceResponse> list() {
    return spaces.list().stream().map(SpaceResponse::of).toList();
  }

  @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getSpace", summary = "Get one search space")
  @ApiResponse(responseCode = "200", description = "The space")
  @ApiResponse(responseCode = "404", description = "No such space",
      content = @Content(mediaType = "application/problem+json"))
  SpaceResponse get(@Parameter(description = "Space name", example = "autoformer-tiny") @PathVariable String name) {
    return SpaceResponse.of(spaces.get(name));
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "registerSpace", summary = "Register a custom search space",
      description = REGISTER_DESCRIPTION)
  @ApiResponse(responseCode = "201", description = "Registered")
  @ApiResponse(responseCode = "400", description = "Invalid name or YAML",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "409", description = "The name is taken",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "422", description = "Beyond a registration limit (prenas.spaces.limits; the problem's "
      + "limit names it)", content = @Content(mediaType = "application/problem+json"))
  ResponseEntity<SpaceResponse> register(@org.springframework.web.bind.annotation.RequestBody RegisterSpaceRequest body) {
    if (body == null) {
      throw new ApiProblem("body", "a JSON object {name, yaml} is required");
    }
    return created(spaces.register(body.name(), body.yaml()));
  }

  @PostMapping(consumes = {YAML, TEXT_YAML, "application/x-yaml"}, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "registerSpace", summary = "Register a custom search space",
      description = REGISTER_DESCRIPTION)
  @RequestBody(content = @Content(mediaType = TEXT_YAML, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "201", description = "Registered")
  ResponseEntity<SpaceResponse> registerYaml(
      @Parameter(description = "Space name", example = "micro-a") @RequestParam String name,
      HttpServletRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(1_000_001);
      if (bytes.length > 1_000_000) {
        throw new ApiProblem("body", "a space YAML must be at most 1,000,000 bytes");
      }
      return created(spaces.register(name, new String(bytes, StandardCharsets.UTF_8)));
    }
  }

  @GetMapping(path = "/{name}/releases", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listReleases", summary = "The releases of a space, newest first",
      description = "A release is one publication: the models one pipeline or evaluation job published (models "
          + "published without a job form one release per space). models/best and the model list answer within the "
          + "newest complete release (newest: true) unless ?release= pins another. Releases still publishing "
          + "(publishedAt null) come first.")
  @ApiResponse(responseCode = "200", description = "The releases")
  @ApiResponse(responseCode = "404", description = "No such space",
      content = @Content(mediaType = "application/problem+json"))
  List<ReleaseResponse> releases(
      @Parameter(description = "Space name", example = "demo-fmnist") @PathVariable String name) {
    if (!spaces.exists(name)) {
      throw new io.prenas.catalog.SpaceNotFoundException(name);
    }
    UUID newest = models.newestRelease(name).orElse(null);
    return models.releases(name).stream().map(r -> ReleaseResponse.of(r, r.id().equals(newest))).toList();
  }

  @GetMapping(path = "/{name}/preferred", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getPreferredArchitectures", summary = "The preferred architectures of a space",
      description = "The table written by the latest selection job (or import) of the space, or by the given job.")
  @ApiResponse(responseCode = "200", description = "The preferred table")
  @ApiResponse(responseCode = "404", description = "No such space, or no preferred table yet",
      content = @Content(mediaType = "application/problem+json"))
  PreferredResponse preferred(@PathVariable String name,
      @Parameter(description = "A selection job id; default: the latest table of the space")
      @RequestParam(required = false) UUID job) throws IOException {
    SearchSpace space = spaces.get(name).space();
    UUID jobId = job != null ? job : preferred.latestJob(name).orElseThrow(() ->
        new NotFound("space", "space '" + name + "' has no preferred table yet (run a selection job)"));
    PreferredTables.Table table = preferred.find(space, jobId).orElseThrow(() ->
        new NotFound("job", "job " + jobId + " wrote no preferred table for space '" + name + "'"));
    return PreferredResponse.of(table, json);
  }

  @PostMapping(path = "/{name}/preferred", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "importPreferredArchitectures", summary = "Import a preferred table",
      description = IMPORT_PREFERRED_DESCRIPTION)
  @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
      schema = @Schema(type = "object", description = "Bin upper bound (\"6.0\") -> list of architecture configs "
          + "with num_params (M) and score", example = PREFERRED_EXAMPLE)))
  @ApiResponse(responseCode = "201", description = "Imported; the table and the id of its job",
      headers = @Header(name = "Location", description = "URL of the table", schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "400", description = "Malformed JSON, an architecture outside the space, or a "
      + "num_params that does not match the architecture (`field` is `body`, `pointer` the entry, e.g. /6.0/0)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such space",
      content = @Content(mediaType = "application/problem+json"))
  ResponseEntity<PreferredResponse> importPreferred(@PathVariable String name, HttpServletRequest request)
      throws IOException {
    JsonNode file;
    try (InputStream in = request.getInputStream()) {
      // A JSON object with a bin key twice would lose one of the bins without a word.
      file = json.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(in);
    } catch (JsonProcessingException e) {
      throw new ApiProblem("body", "the body is not valid JSON: " + JsonErrors.describe(e));
    }
    PreferredTables.Table table = imports.importFile(name, file);
    return ResponseEntity.created(URI.create("/api/v1/spaces/" + name + "/preferred?job=" + table.jobId()))
        .body(PreferredResponse.of(table, json));
  }

  @PostMapping(path = "/{name}/supernet", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "importSupernet", summary = "Import supernet weights",
      description = IMPORT_DESCRIPTION)
  @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(responseCode = "200", description = "Imported")
  @ApiResponse(responseCode = "400",
      description = "Neither safetensors nor an acceptable PyTorch checkpoint, or a tensor is missing or has the "
          + "wrong shape",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "413", description = "Larger than prenas.upload.max-size",
      content = @Content(mediaType = "application/problem+json"))
  SpaceResponse importSupernet(@PathVariable String name, HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > spaces.maxUploadBytes()) {
      throw new org.springframework.web.multipart.MaxUploadSizeExceededException(spaces.maxUploadBytes());
    }
    try (InputStream in = request.getInputStream()) {
      return SpaceResponse.of(spaces.importSupernet(name, in));
    }
  }

  @PostMapping(path = "/{name}/supernet", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "importSupernet", summary = "Import supernet weights", description = IMPORT_DESCRIPTION)
  SpaceResponse importSupernetMultipart(@PathVariable String name,
      @Parameter(description = "The safetensors file") @RequestPart("file") MultipartFile file) throws IOException {
    try (InputStream in = file.getInputStream()) {
      return SpaceResponse.of(spaces.importSupernet(name, in));
    }
  }

  private static ResponseEntity<SpaceResponse> created(SpaceInfo info) {
    return ResponseEntity.created(URI.create("/api/v1/spaces/" + info.name())).body(SpaceResponse.of(info));
  }
}
