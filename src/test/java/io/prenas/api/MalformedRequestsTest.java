package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.SpaceLoader;
import io.prenas.storage.ArtifactStore;
import io.prenas.vit.engine.SupernetLayout;
import io.prenas.vit.space.VitSpace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bad input never hurts the server: each malformed request of the table gets its 4xx problem
 * ({@code application/problem+json} with type, title, status, detail and the {@code field} at fault where there is
 * one, no stack trace or class names, no echo of a huge input), the server stays healthy, and nothing is written (row
 * counts of every table and the files under the storage and multipart directories are unchanged).
 */
class MalformedRequestsTest extends SmallLimitsServer {

  /** The space that uploads go to: registered once, small enough that its tensors fit under the upload limit. */
  static final String SPACE = "badinput-micro";
  static final String TABLES = "jobs, spaces, models, artifacts, preferred_architectures, jobrunr_jobs";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate db;

  @Autowired
  ArtifactStore artifacts;

  ApiTestSupport http;

  /** One malformed request and the problem it must get. */
  record Case(String method, String path, List<String> headers, byte[] body, int status, String field,
      String detail) {

    static Case of(String method, String path, int status, String field, String detail) {
      return new Case(method, path, List.of(), null, status, field, detail);
    }

    Case with(String contentType, byte[] bytes) {
      List<String> h = new ArrayList<>(headers);
      if (contentType != null) {
        h.add("Content-Type");
        h.add(contentType);
      }
      return new Case(method, path, h, bytes, status, field, detail);
    }

    Case with(String contentType, String text) {
      return with(contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    Case header(String name, String value) {
      List<String> h = new ArrayList<>(headers);
      h.add(name);
      h.add(value);
      return new Case(method, path, h, body, status, field, detail);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    if (db.queryForObject("SELECT count(*) FROM spaces WHERE name = ?", Long.class, SPACE) == 0) {
      assertThat(http.postJson("/api/v1/spaces", Map.of("name", SPACE, "yaml", MICRO_YAML)).statusCode())
          .isEqualTo(201);
    }
  }

  /**
   * An oversized body is answered 413 every time, not now and then a reset connection: the client sends the whole body
   * before it reads the answer, so what the server has not read must be read and dropped first (left in the socket,
   * the close that follows the answer resets the connection and the client's kernel drops the answer unread).
   */
  @Test
  void anOversizedBodyGetsItsProblemEveryTime() throws Exception {
    String body = "{\"type\": \"" + "x".repeat(5 << 20) + "\"}";
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = http.send("POST", "/api/v1/jobs", body.getBytes(StandardCharsets.UTF_8), TIMEOUT,
          "Content-Type", "application/json");
      assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
      assertThat(ApiTestSupport.JSON.readTree(r.body()).path("field").asText()).isEqualTo("body");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void malformedRequestGetsAProblemAndChangesNothing(Case c) throws Exception {
    Map<String, Object> before = snapshot();

    HttpResponse<String> r = http.send(c.method(), c.path(), c.body(), TIMEOUT,
        c.headers().toArray(String[]::new));

    assertThat(r.statusCode()).as("status; body: %s", abbreviate(r.body())).isEqualTo(c.status());
    assertThat(r.headers().firstValue("Content-Type")).as("content type; body: %s", abbreviate(r.body()))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.body().length()).as("a short problem, no echo of the input").isLessThan(2_000);
    for (String leak : List.of("at io.", "Exception", "org.springframework", "java.", "`", artifacts.root().toString(),
        MULTIPART_DIR.toString())) {
      assertThat(r.body()).as("the problem leaks internals").doesNotContain(leak);
    }
    JsonNode p = ApiTestSupport.JSON.readTree(r.body());
    assertThat(p.path("type").asText()).isNotEmpty();
    assertThat(p.path("title").asText()).isNotEmpty();
    assertThat(p.path("status").asInt()).isEqualTo(c.status());
    assertThat(p.path("detail").asText()).isNotEmpty();
    if (c.field() != null) {
      assertThat(p.path("field").asText()).as("field; detail: %s", p.path("detail").asText()).isEqualTo(c.field());
    }
    if (c.detail() != null) {
      assertThat(p.path("detail").asText()).containsIgnoringCase(c.detail());
    }

    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(snapshot()).as("nothing is written").isEqualTo(before);
  }

  /** Row counts of every table and the files (with sizes) under the storage and multipart directories. */
  private Map<String, Object> snapshot() throws IOException {
    Map<String, Object> s = new TreeMap<>();
    for (String table : TABLES.split(", ")) {
      s.put(table, db.queryForObject("SELECT count(*) FROM " + table, Long.class));
    }
    for (Path root : List.of(artifacts.root(), MULTIPART_DIR)) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(Files::isRegularFile).forEach(f -> {
          try {
            s.put(f.toString(), Files.size(f));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
    return s;
  }

  static Stream<Named<Case>> cases() {
    Map<String, Case> t = new LinkedHashMap<>();
    String best = "/api/v1/models/best?space=autoformer-tiny&";
    t.put("best: no budget", Case.of("GET", "/api/v1/models/best?space=autoformer-tiny", 400, "maxParams",
        "budget is required"));
    t.put("best: no space", Case.of("GET", "/api/v1/models/best?maxParams=1e6", 400, "space", "required"));
    t.put("best: negative budget", Case.of("GET", best + "maxParams=-5", 400, "maxParams", "positive"));
    t.put("best: zero budget", Case.of("GET", best + "maxFlops=0", 400, "maxFlops", "positive"));
    t.put("best: non-numeric budget", Case.of("GET", best + "maxParams=abc", 400, "maxParams", "number"));
    t.put("best: NaN", Case.of("GET", best + "maxParams=NaN", 400, "maxParams", "number"));
    t.put("best: Infinity", Case.of("GET", best + "maxFlops=Infinity", 400, "maxFlops", "number"));
    t.put("best: 1e400 overflows", Case.of("GET", best + "maxParams=1e400", 400, "maxParams", "finite"));
    t.put("best: hex", Case.of("GET", best + "maxParams=0x10", 400, "maxParams", "number"));
    t.put("best: empty budget", Case.of("GET", best + "maxParams=", 400, "maxParams", "number"));
    t.put("best: duplicated budget", Case.of("GET", best + "maxParams=1e6&maxParams=2e6", 400, "maxParams",
        "number"));
    t.put("best: 400-digit budget", Case.of("GET", best + "maxParams=" + "9".repeat(400), 400, "maxParams",
        "finite"));
    t.put("best: huge budget, nothing published", Case.of("GET", best + "maxFlops=1e300", 404, null,
        "no published model"));
    t.put("best: unknown space", Case.of("GET", "/api/v1/models/best?space=no-such-space&maxParams=1e6", 404,
        "space", "no-such-space"));
    t.put("models: negative budget filter", Case.of("GET", "/api/v1/models?maxFlops=-1", 400, "maxFlops",
        "positive"));
    t.put("models: page size 0", Case.of("GET", "/api/v1/models?size=0", 400, "size", "between"));
    t.put("models: non-numeric page", Case.of("GET", "/api/v1/models?page=abc", 400, "page", "abc"));

    String unknownId = UUID.randomUUID().toString();
    t.put("job id: not a UUID", Case.of("GET", "/api/v1/jobs/not-a-uuid", 400, "id", "UUID"));
    t.put("job id: too long", Case.of("GET", "/api/v1/jobs/" + "a".repeat(300), 400, "id", "UUID"));
    t.put("job id: unknown", Case.of("GET", "/api/v1/jobs/" + unknownId, 404, "id", unknownId));
    t.put("job id: empty", Case.of("GET", "/api/v1/jobs/", 404, null, null));
    t.put("job id: unicode", Case.of("GET", "/api/v1/jobs/%E2%98%83", 400, "id", "UUID"));
    t.put("job id: path traversal", Case.of("GET", "/api/v1/jobs/..%2F..%2Fetc%2Fpasswd", 400, null, null));
    t.put("job cancel: unknown id", Case.of("POST", "/api/v1/jobs/" + unknownId + "/cancel", 404, "id", null));
    t.put("job cancel: not a UUID", Case.of("POST", "/api/v1/jobs/x/cancel", 400, "id", "UUID"));
    t.put("jobs: unknown state filter", Case.of("GET", "/api/v1/jobs?state=BOGUS", 400, "state", "BOGUS"));
    t.put("model id: not a number", Case.of("GET", "/api/v1/models/abc", 400, "id", "abc"));
    t.put("model id: beyond long", Case.of("GET", "/api/v1/models/" + "9".repeat(30), 400, "id", null));
    t.put("model id: unknown", Case.of("GET", "/api/v1/models/424242", 404, "id", "424242"));
    t.put("model config: unknown id", Case.of("GET", "/api/v1/models/424242/config", 404, "id", null));
    t.put("weights: unknown id", Case.of("GET", "/api/v1/models/424242/weights", 404, "id", null));
    t.put("weights: not a number", Case.of("GET", "/api/v1/models/..%2F..%2Fx/weights", 400, null, null));
    t.put("weights: negative id", Case.of("GET", "/api/v1/models/-1/weights", 404, "id", null));
    t.put("weights: unknown format", Case.of("GET", "/api/v1/models/424242/weights?format=pt", 400, "format", null));
    t.put("space: unknown name", Case.of("GET", "/api/v1/spaces/no-such-space", 404, "space", null));
    t.put("space: unicode name", Case.of("GET", "/api/v1/spaces/%E2%98%83", 404, "space", null));
    t.put("space: dot-dot name", Case.of("GET", "/api/v1/spaces/..", 404, null, null));
    t.put("preferred: job not a UUID", Case.of("GET", "/api/v1/spaces/autoformer-tiny/preferred?job=x", 400, "job",
        "UUID"));
    t.put("preferred: no table yet", Case.of("GET", "/api/v1/spaces/autoformer-tiny/preferred", 404, "space",
        "no preferred table"));

    String spaces = "/api/v1/spaces";
    t.put("space: invalid YAML", Case.of("POST", spaces, 400, "yaml", "malformed YAML")
        .with("application/json", json(Map.of("name", "bad-yaml", "yaml", "SUPERNET: [unclosed"))));
    t.put("space: billion laughs", Case.of("POST", spaces + "?name=laughs", 400, "yaml", null)
        .with("text/yaml", billionLaughs("")));
    t.put("space: nested anchors inside the space", Case.of("POST", spaces + "?name=anchors", 400, "yaml",
        "EMBED_DIM").with("text/yaml", """
            SUPERNET: {EMBED_DIM: 128, DEPTH: 4, NUM_HEADS: 2, MLP_RATIO: 4.0}
            SEARCH_SPACE:
              DEPTH: [3, 4]
              NUM_HEADS: [1, 2]
              MLP_RATIO: [3.5, 4.0]
              EMBED_DIM:
            """ + billionLaughs("    - ")));
    t.put("space: deeply nested YAML", Case.of("POST", spaces + "?name=nested", 400, "yaml", "depth")
        .with("application/yaml", "SUPERNET: " + "[".repeat(10_000) + "]".repeat(10_000)));
    t.put("space: wrong key name", Case.of("POST", spaces + "?name=wrong-key", 400, "yaml", "EMBED_DIMS")
        .with("text/yaml", MICRO_YAML.replace("EMBED_DIM: [96, 128]", "EMBED_DIMS: [96, 128]")));
    t.put("space: wrong type", Case.of("POST", spaces + "?name=wrong-type", 400, "yaml", "DEPTH")
        .with("text/yaml", MICRO_YAML.replace("DEPTH: [3, 4]", "DEPTH: [three, 4]")));
    t.put("space: negative dim", Case.of("POST", spaces + "?name=negative", 400, "yaml", "EMBED_DIM")
        .with("text/yaml", MICRO_YAML.replace("EMBED_DIM: [96, 128]", "EMBED_DIM: [-96, 128]")));
    t.put("space: empty choices", Case.of("POST", spaces + "?name=empty", 400, "yaml", "NUM_HEADS")
        .with("text/yaml", MICRO_YAML.replace("NUM_HEADS: [1, 2]", "NUM_HEADS: []")));
    t.put("space: name with slashes", Case.of("POST", spaces, 400, "name", null)
        .with("application/json", json(Map.of("name", "../etc/passwd", "yaml", MICRO_YAML))));
    t.put("space: name with spaces", Case.of("POST", spaces, 400, "name", null)
        .with("application/json", json(Map.of("name", "my space", "yaml", MICRO_YAML))));
    t.put("space: name too long", Case.of("POST", spaces, 400, "name", null)
        .with("application/json", json(Map.of("name", "n".repeat(65), "yaml", MICRO_YAML))));
    t.put("space: duplicate name", Case.of("POST", spaces, 409, "name", "already exists")
        .with("application/json", json(Map.of("name", SPACE, "yaml", MICRO_YAML))));
    // Found by RequestBodyFuzzTest: a repeated key of a record-bound body was a 500.
    t.put("space: duplicated key", Case.of("POST", spaces, 400, "body", "duplicate field 'yaml'")
        .with("application/json", "{\"name\": \"dup\", \"yaml\": \"x\", \"yaml\": \"y\"}"));
    t.put("job: duplicated key", job(400, "body", "{\"type\": \"selection\", \"space\": \"" + SPACE
        + "\", \"type\": \"training\"}"));
    t.put("space: YAML without a name", Case.of("POST", spaces, 400, "name", "required")
        .with("text/yaml", MICRO_YAML));
    t.put("space: YAML over 1 MB", Case.of("POST", spaces + "?name=big", 400, "body", "1,000,000")
        .with("text/yaml", "#" + "x".repeat(1_000_001)));
    t.put("space: text/plain", Case.of("POST", spaces, 415, "Content-Type", "text/plain")
        .with("text/plain", MICRO_YAML));
    t.put("space: empty body", Case.of("POST", spaces, 400, "body", null).with("application/json", new byte[0]));
    t.put("space: yaml is a number", Case.of("POST", spaces, 400, "yaml", null)
        .with("application/json", "{\"name\": \"numeric\", \"yaml\": 42}"));

    String jobs = "/api/v1/jobs";
    t.put("job: unknown type", job(400, "type", "{\"type\": \"mining\", \"space\": \"autoformer-tiny\"}"));
    t.put("job: unknown option", job(400, "options.bogus", options("\"bogus\": 1")));
    t.put("job: option of another type", job(400, "options.epochs", options("\"epochs\": 3")));
    t.put("job: wrong option type", job(400, "options.batchSize", options("\"batchSize\": \"ten\"")));
    t.put("job: epochs out of range", job(400, "options.epochs",
        "{\"type\": \"training\", \"space\": \"autoformer-tiny\", \"options\": {\"epochs\": 0}}"));
    t.put("job: batch size out of range", job(400, "options.batchSize", options("\"batchSize\": 1000000")));
    t.put("job: bins reversed", job(400, "options.binMax", options("\"binMin\": 8, \"binMax\": 5")));
    t.put("job: negative seed", job(400, "options.seed", options("\"seed\": -1")));
    t.put("job: unknown sampler", job(400, "options.sampler",
        "{\"type\": \"training\", \"space\": \"autoformer-tiny\", \"options\": {\"sampler\": \"lucky\"}}"));
    t.put("job: dataPath ../", job(400, "options.dataPath", options("\"dataPath\": \"../../etc\"")));
    t.put("job: dataPath absolute", job(400, "options.dataPath", options("\"dataPath\": \"/etc\"")));
    t.put("job: dataPath %2e%2e", job(400, "options.dataPath", options("\"dataPath\": \"%2e%2e/etc\"")));
    t.put("job: missing space", job(400, "space", "{\"type\": \"selection\"}"));
    t.put("job: unknown space", job(404, "space", "{\"type\": \"selection\", \"space\": \"no-such-space\"}"));
    t.put("job: blank Idempotency-Key", job(400, "Idempotency-Key", options("")).header("Idempotency-Key", " "));
    t.put("job: Idempotency-Key too long", job(400, "Idempotency-Key", options(""))
        .header("Idempotency-Key", "k".repeat(201)));
    t.put("job: malformed JSON", job(400, "body", "{\"type\": \"selection\","));
    t.put("job: trailing garbage", job(400, "body", options("") + " {\"type\": \"training\"}"));
    t.put("job: 5 MB string", job(413, "body", "{\"type\": \"" + "x".repeat(5 << 20) + "\"}"));
    t.put("job: 100k-element array", job(400, "options.binMin", options("\"binMin\": ["
        + "0,".repeat(100_000) + "0]")));
    t.put("job: 10k levels of nesting", job(400, "type", "{\"type\": " + "[".repeat(10_000)
        + "]".repeat(10_000) + "}"));
    t.put("job: JSON array", job(400, "body", "[1, 2, 3]"));
    t.put("job: JSON null", job(400, "body", "null"));
    t.put("job: text/plain", Case.of("POST", jobs, 415, "Content-Type", null).with("text/plain", options("")));
    t.put("job: form-urlencoded", Case.of("POST", jobs, 415, "Content-Type", null)
        .with("application/x-www-form-urlencoded", "type=selection&space=autoformer-tiny"));
    t.put("job: no content type", Case.of("POST", jobs, 415, "Content-Type", null).with(null, options("")));

    String upload = "/api/v1/spaces/" + SPACE + "/supernet";
    Map.Entry<String, long[]> first = SupernetLayout.shapes(VitSpace.of(SpaceLoader.parse(SPACE, MICRO_YAML))).entrySet().iterator()
        .next();
    String name = first.getKey();
    long[] shape = first.getValue();
    String octet = "application/octet-stream";
    t.put("import: text/plain", Case.of("POST", upload, 415, "Content-Type", null).with("text/plain", "weights"));
    t.put("import: empty file", Case.of("POST", upload, 400, "file", null).with(octet, new byte[0]));
    t.put("import: header length beyond the file", Case.of("POST", upload, 400, "file", "header length")
        .with(octet, lengthPrefixed(1_000_000, "{}".getBytes(StandardCharsets.UTF_8))));
    t.put("import: header not JSON", Case.of("POST", upload, 400, "file", "JSON")
        .with(octet, safetensors("not json at all", 0)));
    t.put("import: offsets out of range", Case.of("POST", upload, 400, "file", null).with(octet,
        safetensors("{\"" + name + "\": {\"dtype\": \"F32\", \"shape\": " + list(shape)
            + ", \"data_offsets\": [0, 99999999]}}", 16)));
    t.put("import: unknown dtype", Case.of("POST", upload, 400, "file", null).with(octet,
        safetensors("{\"" + name + "\": {\"dtype\": \"Q7\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 16)));
    t.put("import: integer dtype", Case.of("POST", upload, 400, "file", "dtype").with(octet,
        tensorFile(name, "I32", shape)));
    t.put("import: wrong shape", Case.of("POST", upload, 400, "file", "shape").with(octet,
        tensorFile(name, "F32", new long[] {1, 1})));
    t.put("import: missing tensors", Case.of("POST", upload, 400, "file", "missing").with(octet,
        tensorFile(name, "F32", shape)));
    t.put("import: oversized upload", Case.of("POST", upload, 413, "file", null).with(octet, new byte[100_000]));
    t.put("import: unknown space", Case.of("POST", "/api/v1/spaces/no-such-space/supernet", 404, "space", null)
        .with(octet, tensorFile(name, "F32", shape)));
    String boundary = "b0undary";
    t.put("import: multipart without the file part", Case.of("POST", upload, 400, "file", null)
        .with("multipart/form-data; boundary=" + boundary, multipart(boundary, "weights", tensorFile(name, "F32",
            shape))));
    t.put("import: multipart without a boundary", Case.of("POST", upload, 400, null, null)
        .with("multipart/form-data", multipart(boundary, "file", tensorFile(name, "F32", shape))));
    t.put("import: oversized multipart", Case.of("POST", upload, 413, "file", null)
        .with("multipart/form-data; boundary=" + boundary, multipart(boundary, "file", new byte[100_000])));
    t.put("import: truncated multipart", Case.of("POST", upload, 400, null, null)
        .with("multipart/form-data; boundary=" + boundary, java.util.Arrays.copyOf(
            multipart(boundary, "file", tensorFile(name, "F32", shape)), 300)));

    String preferred = "/api/v1/spaces/" + SPACE + "/preferred";
    String json = "application/json";
    t.put("preferred: malformed JSON", Case.of("POST", preferred, 400, "body", "not valid JSON")
        .with(json, "{\"1.0\": ["));
    t.put("preferred: JSON array", Case.of("POST", preferred, 400, "body", "JSON object of bins").with(json, "[]"));
    t.put("preferred: empty object", Case.of("POST", preferred, 400, "body", "no bin").with(json, "{}"));
    t.put("preferred: duplicated bin key", Case.of("POST", preferred, 400, "body", "1.0")
        .with(json, "{\"1.0\": [], \"1.0\": []}"));
    t.put("preferred: bin key not a number", Case.of("POST", preferred, 400, "body", "upper bound")
        .with(json, "{\"big\": [{}]}"));
    t.put("preferred: entry not an object", Case.of("POST", preferred, 400, "body", "entry 0")
        .with(json, "{\"1.0\": [42]}"));
    t.put("preferred: 10k levels of nesting", Case.of("POST", preferred, 400, "body", null)
        .with(json, "{\"1.0\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
    t.put("preferred: text/plain", Case.of("POST", preferred, 415, "Content-Type", null).with("text/plain", "{}"));
    t.put("preferred: unknown space", Case.of("POST", "/api/v1/spaces/no-such-space/preferred", 404, "space", null)
        .with(json, "{\"1.0\": [{}]}"));
    t.put("job: evaluation of an imported supernet the space lacks", job(422, "options.supernet",
        "{\"type\": \"evaluation\", \"space\": \"" + SPACE + "\", \"options\": {\"supernet\": \"imported\", "
            + "\"dataPath\": \"val\"}}"));
    t.put("job: evaluation of an imported supernet without data", job(400, "options.dataPath",
        "{\"type\": \"evaluation\", \"space\": \"autoformer-tiny\", \"options\": {\"supernet\": \"imported\"}}"));

    t.put("PUT on jobs", Case.of("PUT", jobs, 405, null, "PUT").with("application/json", options("")));
    t.put("DELETE on spaces", Case.of("DELETE", spaces, 405, null, "DELETE"));
    t.put("DELETE on models", Case.of("DELETE", "/api/v1/models", 405, null, "DELETE"));
    t.put("POST on models/best", Case.of("POST", "/api/v1/models/best", 405, null, "POST"));
    t.put("unknown path", Case.of("GET", "/api/v1/nothing-here", 404, null, null));
    t.put("unknown sub-path", Case.of("GET", "/api/v1/spaces/autoformer-tiny/bogus/deeper", 404, null, null));
    t.put("encoded backslash in a path", Case.of("GET", "/api/v1/spaces/..%5C..%5Cetc", 400, null, null));
    t.put("encoded NUL in a path", Case.of("GET", "/api/v1/spaces/x%00y", 400, null, null));
    t.put("URL over the header limit", Case.of("GET", "/api/v1/spaces/" + "a".repeat(20_000), 400, null, null));
    t.put("header over the limit", Case.of("GET", spaces, 400, null, null).header("X-Padding", "p".repeat(20_000)));
    t.put("error page asked for directly", Case.of("GET", "/error", 404, null, null));
    t.put("Accept: application/xml", Case.of("GET", spaces, 406, null, null).header("Accept", "application/xml"));
    t.put("Accept: application/xml on an error", Case.of("GET", "/api/v1/spaces/no-such-space", 406, null, null)
        .header("Accept", "application/xml"));
    return t.entrySet().stream().map(e -> Named.of(e.getKey(), e.getValue()));
  }

  private static Case job(int status, String field, String body) {
    return Case.of("POST", "/api/v1/jobs", status, field, null).with("application/json", body);
  }

  /** A selection job on a built-in space with the given options (a JSON members list, maybe empty). */
  private static String options(String members) {
    return "{\"type\": \"selection\", \"space\": \"autoformer-tiny\", \"options\": {" + members + "}}";
  }

  private static String json(Object o) {
    try {
      return ApiTestSupport.JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ten anchors, each a list of nine aliases of the one before: 9^9 strings if a parser expanded them. */
  private static String billionLaughs(String indent) {
    boolean list = !indent.isEmpty();
    StringBuilder y = new StringBuilder(indent + (list ? "" : "a: ")
        + "&a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      y.append(indent).append(list ? "" : c + ": ").append('&').append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        y.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      y.append("]\n");
      prev = c;
    }
    return y.toString();
  }

  private static String list(long[] shape) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(']').toString();
  }

  /** A safetensors file with one zero-filled tensor. */
  private static byte[] tensorFile(String name, String dtype, long[] shape) {
    long bytes = 4;
    for (long d : shape) {
      bytes *= d;
    }
    return safetensors("{\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + list(shape)
        + ", \"data_offsets\": [0, " + bytes + "]}}", (int) bytes);
  }

  private static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] out = lengthPrefixed(h.length, h);
    return java.util.Arrays.copyOf(out, out.length + dataBytes);
  }

  private static byte[] lengthPrefixed(long headerLength, byte[] header) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength).put(header);
    return b.array();
  }

  private static byte[] multipart(String boundary, String part, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
        + "\"; filename=\"w.safetensors\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String abbreviate(String s) {
    return s == null || s.length() < 500 ? s : s.substring(0, 500) + "...";
  }
}
