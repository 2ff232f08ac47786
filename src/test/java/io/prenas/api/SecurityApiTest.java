package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.storage.ArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * API keys on every mutating endpoint (the list is derived from Spring MVC's mappings, so a new endpoint cannot be
 * forgotten), CORS, body size limits and paths from requests. Reads are open here (the default); see
 * {@link KeyedReadsApiTest} for {@code prenas.security.read-access=key}. The server's limits are those of
 * {@link SmallLimitsServer}.
 */
class SecurityApiTest extends SmallLimitsServer {

  /**
   * Every write endpoint of the API, as {@code METHOD path [content type]}; a request body that reaches the
   * controller (and is refused there, so nothing runs) goes with each in {@link #mutatingEndpoints()}.
   */
  static final Set<String> DOCUMENTED_WRITE_ENDPOINTS = Set.of(
      "POST /api/v1/jobs [application/json]",
      "POST /api/v1/jobs/{id}/cancel []",
      "POST /api/v1/models/{id}/withdraw [application/json]",
      "POST /api/v1/spaces [application/json]",
      "POST /api/v1/spaces [application/yaml, text/yaml, application/x-yaml]",
      "POST /api/v1/spaces/{name}/preferred [application/json]",
      "POST /api/v1/spaces/{name}/supernet [application/octet-stream]",
      "POST /api/v1/spaces/{name}/supernet [multipart/form-data]");

  record Call(String endpoint, String method, String path, String contentType, String body) {
    @Override
    public String toString() {
      return endpoint;
    }
  }

  static Stream<Call> mutatingEndpoints() {
    String job = UUID.randomUUID().toString();
    return Stream.of(
        new Call("POST /api/v1/jobs [application/json]", "POST", "/api/v1/jobs", "application/json", "{}"),
        new Call("POST /api/v1/jobs/{id}/cancel []", "POST", "/api/v1/jobs/" + job + "/cancel", null, ""),
        new Call("POST /api/v1/models/{id}/withdraw [application/json]", "POST", "/api/v1/models/999999999/withdraw",
            "application/json", "{\"reason\": \"test\"}"),
        new Call("POST /api/v1/spaces [application/json]", "POST", "/api/v1/spaces", "application/json",
            "{\"name\":\"\"}"),
        new Call("POST /api/v1/spaces [application/yaml, text/yaml, application/x-yaml]", "POST",
            "/api/v1/spaces?name=sec-yaml", "application/yaml", "not: [valid"),
        new Call("POST /api/v1/spaces/{name}/preferred [application/json]", "POST",
            "/api/v1/spaces/no-such-space/preferred", "application/json", "{}"),
        new Call("POST /api/v1/spaces/{name}/supernet [application/octet-stream]", "POST",
            "/api/v1/spaces/no-such-space/supernet", "application/octet-stream", "x"),
        new Call("POST /api/v1/spaces/{name}/supernet [multipart/form-data]", "POST",
            "/api/v1/spaces/no-such-space/supernet", "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.safetensors\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nx\r\n--b--\r\n"));
  }

  @LocalServerPort
  int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Autowired
  ArtifactStore artifacts;

  @Value("${prenas.data.dir}")
  Path dataDir;

  ApiTestSupport http() {
    return new ApiTestSupport(port);
  }

  @Test
  void theWriteEndpointsAreExactlyTheDocumentedOnes() {
    Set<String> found = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String pattern : info.getPatternValues()) {
        if (!pattern.startsWith("/api/")) {
          continue;
        }
        // A mapping without methods answers every method, writes included.
        List<String> names = methods.isEmpty() ? List.of("*")
            : methods.stream().filter(m -> m != RequestMethod.GET && m != RequestMethod.HEAD)
                .map(Enum::name).toList();
        for (String m : names) {
          found.add(m + " " + pattern + " " + info.getConsumesCondition().getConsumableMediaTypes().stream()
              .map(Object::toString).sorted((a, b) -> order(a) - order(b)).toList());
        }
      }
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(DOCUMENTED_WRITE_ENDPOINTS);
    assertThat(mutatingEndpoints().map(Call::endpoint)).containsExactlyInAnyOrderElementsOf(
        DOCUMENTED_WRITE_ENDPOINTS);
  }

  /** The YAML consumes list in its declared order (a set has none). */
  private static int order(String type) {
    return List.of("application/yaml", "text/yaml", "application/x-yaml").indexOf(type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutatingEndpoints")
  void everyWriteEndpointNeedsAWriteKey(Call call) throws Exception {
    HttpResponse<String> none = send(http().withKey(null), call);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"prenas\"");
    assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(ApiTestSupport.json(none).path("field").asText()).isEqualTo("Authorization");
    assertThat(ApiTestSupport.json(none).path("status").asInt()).isEqualTo(401);

    HttpResponse<String> wrong = send(http().withKey("not-a-configured-key"), call);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        h -> assertThat(h).contains("invalid_token"));

    HttpResponse<String> wrongBearer = send(http().withKey(null), call, "Authorization",
        "Bearer not-a-configured-key");
    assertThat(wrongBearer.statusCode()).isEqualTo(401);
    HttpResponse<String> basic = send(http().withKey(null), call, "Authorization", "Basic dGVzdDp0ZXN0");
    assertThat(basic.statusCode()).isEqualTo(401);

    HttpResponse<String> read = send(http().withKey(ApiTestSupport.READ_KEY), call);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(403);
    assertThat(read.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(ApiTestSupport.json(read).path("field").asText()).isEqualTo("Authorization");

    HttpResponse<String> write = send(http().withKey(ApiTestSupport.WRITE_KEY), call);
    assertThat(write.statusCode()).as(write.body()).isNotIn(401, 403).isBetween(400, 499);
    HttpResponse<String> bearer = send(http().withKey(null), call, "Authorization",
        "Bearer " + ApiTestSupport.WRITE_KEY);
    assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(write.statusCode());
  }

  @Test
  void otherMethodsNeedAWriteKeyToo() throws Exception {
    for (String method : List.of("PUT", "PATCH", "DELETE")) {
      HttpResponse<String> r = http().withKey(null).send(HttpRequest.newBuilder(http().uri("/api/v1/spaces/x"))
          .method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(r.statusCode()).as(method).isEqualTo(401);
      HttpResponse<String> read = http().withKey(ApiTestSupport.READ_KEY).send(
          HttpRequest.newBuilder(http().uri("/api/v1/spaces/x")).method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(read.statusCode()).as(method).isEqualTo(403);
    }
  }

  @Test
  void readsHealthAndApiDocsAreOpenByDefault() throws Exception {
    ApiTestSupport anonymous = http().withKey(null);
    assertThat(anonymous.get("/api/v1/spaces").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/api/v1/spaces/autoformer-tiny").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/v3/api-docs").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    // A key that is presented but unknown does not matter where none is needed.
    assertThat(http().withKey("whatever").get("/api/v1/spaces").statusCode()).isEqualTo(200);
  }

  @Test
  void corsPreflightAndResponsesFollowTheConfiguredOrigins() throws Exception {
    ApiTestSupport anonymous = http().withKey(null);
    HttpResponse<String> preflight = anonymous.send(HttpRequest.newBuilder(http().uri("/api/v1/jobs"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://ui.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-api-key, content-type"));
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("x-api-key").contains("content-type");

    HttpResponse<String> foreign = anonymous.send(HttpRequest.newBuilder(http().uri("/api/v1/jobs"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<String> get = anonymous.get("/api/v1/spaces", "Origin", "https://ui.example");
    assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
    // A refused write still carries the CORS headers, so the page can read the 401.
    HttpResponse<String> refused = anonymous.postJson("/api/v1/jobs", "{}", "Origin", "https://ui.example");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
  }

  @Test
  void jsonAndYamlBodiesOverTheCapAre413() throws Exception {
    // Over the configured cap, under the default one (1 MB): refused only if the configured value is enforced.
    int over = MAX_BODY_BYTES + 10_000;
    assertThat(over).isLessThan(1 << 20);
    String big = "{\"name\":\"" + "a".repeat(over) + "\"}";
    HttpResponse<String> declared = http().postJson("/api/v1/spaces", big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(ApiTestSupport.json(declared).path("field").asText()).isEqualTo("body");

    HttpResponse<String> chunked = http().send(HttpRequest.newBuilder(http().uri("/api/v1/jobs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));

    HttpResponse<String> yaml = http().post("/api/v1/spaces?name=sec-big", "application/yaml",
        "# " + "x".repeat(over) + "\n");
    assertThat(yaml.statusCode()).isEqualTo(413);
    // Under the cap, the body still reaches the controller intact.
    HttpResponse<String> small = http().postJson("/api/v1/spaces", "{\"name\":\"Bad Name\",\"yaml\":\"a: 1\"}");
    assertThat(small.statusCode()).isEqualTo(400);
    assertThat(ApiTestSupport.json(small).path("field").asText()).isEqualTo("name");
  }

  @Test
  void oversizedSupernetUploadsAre413AndLeaveNoFile() throws Exception {
    String space = "sec-up-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(http().postJson("/api/v1/spaces", java.util.Map.of("name", space, "yaml", ApiTestSupport.MICRO_YAML))
        .statusCode()).isEqualTo(201);
    byte[] big = new byte[200 * 1024];
    String path = "/api/v1/spaces/" + space + "/supernet";

    HttpResponse<String> declared = http().postBytes(path, "application/octet-stream", big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(ApiTestSupport.json(declared).path("field").asText()).isEqualTo("file");

    HttpResponse<String> chunked = http().send(HttpRequest.newBuilder(http().uri(path))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));

    String boundary = "b0undary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.safetensors\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] multipart = new byte[head.length + big.length + tail.length];
    System.arraycopy(head, 0, multipart, 0, head.length);
    System.arraycopy(tail, 0, multipart, head.length + big.length, tail.length);
    HttpResponse<String> form = http().postBytes(path, "multipart/form-data; boundary=" + boundary, multipart);
    assertThat(form.statusCode()).isEqualTo(413);

    // A Content-Length that promises more than the limit is refused before any byte of the body is sent.
    String lying = rawRequest("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
        + ApiTestSupport.WRITE_KEY + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 10000000000\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(lying).startsWith("HTTP/1.1 413");

    assertThat(ApiTestSupport.json(http().get("/api/v1/spaces/" + space)).path("supernetWeights").isNull()).isTrue();
    try (Stream<Path> files = Files.walk(artifacts.root())) {
      assertThat(files.filter(Files::isRegularFile).toList()).as("files in the storage directory").isEmpty();
    }
  }

  @Test
  void dataPathsCannotLeaveTheDataDirectory() throws Exception {
    Files.createDirectories(dataDir);
    Path outside = Files.createTempDirectory("prenas-outside");
    Path link = dataDir.resolve("link-" + UUID.randomUUID());
    Files.createSymbolicLink(link, outside);
    Path dangling = dataDir.resolve("dangling-" + UUID.randomUUID());
    Files.createSymbolicLink(dangling, outside.resolve("missing"));
    try {
      for (String bad : List.of(dangling.getFileName().toString(), "../etc", "a/../../etc", "/etc", "C:/Windows",
          "..\\\\etc", "%2e%2e/etc",
          "a/%2E%2E/%2e%2e/etc", "..%2fetc", "\\u002e\\u002e/etc", link.getFileName().toString(),
          link.getFileName() + "/sub")) {
        HttpResponse<String> r = http().postJson("/api/v1/jobs", "{\"type\":\"selection\",\"space\":"
            + "\"autoformer-tiny\",\"options\":{\"dataPath\":\"" + bad + "\"}}");
        assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
        assertThat(ApiTestSupport.json(r).path("field").asText()).as(bad).isEqualTo("options.dataPath");
      }
      assertThat(ApiTestSupport.json(http().get("/api/v1/jobs")).path("items")).isEmpty();
    } finally {
      Files.delete(dangling);
      Files.delete(link);
      Files.delete(outside);
    }
  }

  @Test
  void idsInUrlsNeverNameAFile() throws Exception {
    for (String id : List.of("..%2f..%2fetc%2fpasswd", "%2e%2e", "..", "1%00", "../../etc/passwd",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")) {
      HttpResponse<String> r = http().get("/api/v1/models/" + id + "/weights");
      assertThat(r.statusCode()).as(id).isIn(400, 404);
      assertThat(r.body()).as(id).doesNotContain("root:");
    }
  }

  private static HttpResponse<String> send(ApiTestSupport http, Call call, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(call.path()))
        .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
    if (call.contentType() != null) {
      b.header("Content-Type", call.contentType());
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b);
  }

  private String rawRequest(String request) throws IOException {
    try (Socket s = new Socket("localhost", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(Arrays.copyOf(buf, n), StandardCharsets.US_ASCII);
    }
  }
}
