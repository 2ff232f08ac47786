package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The serving port ({@link ServingListener}) against the API port of the same server: every read answers the same,
 * the lookup and whole downloads are answered on the serving port itself (its timer counts them), writes are refused,
 * pipelined requests answer in order, malformed ones get problem details.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServingPortTest {

  private static final List<String> FILE_HEADERS = List.of("content-type", "etag", "content-disposition",
      "cache-control", "accept-ranges", "content-range", "content-length");

  @LocalServerPort
  int port;

  @Autowired
  ServingListener serving;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  MeterRegistry meters;

  ApiTestSupport api;
  ApiTestSupport fast;
  String space;
  PublishedModel small;
  PublishedModel large;
  byte[] largeWeights;

  @BeforeEach
  void setUp() throws Exception {
    api = new ApiTestSupport(port);
    fast = new ApiTestSupport(serving.port());
    space = "serving-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(space, MICRO_YAML);
    small = publish(1_000, 2e6, 60.0, ("small " + space).getBytes(StandardCharsets.UTF_8));
    largeWeights = ("large " + space + " ").repeat(50_000).getBytes(StandardCharsets.UTF_8);
    large = publish(5_000, 8e6, 70.0, largeWeights);
  }

  private PublishedModel publish(long params, double flops, double top1, byte[] weights) throws Exception {
    return new ServedModels(artifacts, models).publish(space, params, flops, top1, weights);
  }

  @Test
  void lookupsAnswerAsOnTheApiPortAndSuccessesWithoutIt() throws Exception {
    String best = "/api/v1/models/best?space=" + space + "&maxParams=";
    for (String path : List.of(best + "1e9", best + "2000", best + "10", best + "abc", best + "-1",
        "/api/v1/models/best?space=" + space, "/api/v1/models/best?space=no-such&maxParams=1e9",
        best + "1e9&maxParams=2", best + "1e9&release=not-a-uuid", best + "1e9&release=" + UUID.randomUUID(),
        best + "1e9&maxFlops=1e7")) {
      sameAnswer(path);
      sameAnswer(path, "Accept", "application/xml");
    }
    // what a client library would not send: bad escapes, escaped names, ';', '+', a repeat behind 2,000 parameters
    for (String raw : List.of(best + "%zz", best + "1e9&space=%", best + "1%2E5e9", best.replace("space=", "sp%61ce=")
        + "1e9", "/api/v1/models/best?space=" + space + ";x=1&maxParams=1e9", best + "1e9+", best + "+1e9",
        best + "1e9" + "&x".repeat(2000) + "&space=other", best + "1e9" + "&x".repeat(2000))) {
      RawHttp.Answer expected;
      try (RawHttp c = new RawHttp(port)) {
        expected = c.send("GET " + raw + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
      }
      try (RawHttp c = new RawHttp(serving.port())) {
        RawHttp.Answer actual = c.send("GET " + raw + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertThat(actual.status()).as(raw).isEqualTo(expected.status());
        assertThat(actual.text()).as(raw).isEqualTo(expected.text());
      }
    }
    double before = timer(BestModelFastPath.PATH).settledCount();
    HttpResponse<String> r = fast.get(best + "1e9");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiTestSupport.json(r).get("id").asLong()).isEqualTo(large.id());
    timer(BestModelFastPath.PATH).awaitCount(before + 1); // answered on the serving port
    assertThat(fast.get(best + "10").statusCode()).isEqualTo(404);
    assertThat(timer(BestModelFastPath.PATH).count()).as("a 404 comes from the API port").isEqualTo(before + 1);
  }

  @Test
  void downloadsAnswerAsOnTheApiPortAndWholeOnesWithoutIt() throws Exception {
    String weights = "/api/v1/models/" + large.id() + "/weights";
    double before = timer(WeightsFastPath.PATTERN).settledCount();
    HttpResponse<byte[]> first = fast.getBytes(weights);
    assertThat(first.body()).isEqualTo(largeWeights);
    assertThat(timer(WeightsFastPath.PATTERN).count()).as("a file not yet remembered: from the API port")
        .isEqualTo(before);
    HttpResponse<byte[]> again = fast.getBytes(weights);
    assertThat(again.body()).isEqualTo(largeWeights);
    timer(WeightsFastPath.PATTERN).awaitCount(before + 1); // then from the serving port
    HttpResponse<byte[]> fromApi = api.getBytes(weights);
    for (String h : FILE_HEADERS) {
      assertThat(again.headers().firstValue(h)).as(h).isEqualTo(fromApi.headers().firstValue(h));
    }
    assertThat(again.headers().firstValue("date")).isPresent();

    String etag = fromApi.headers().firstValue("etag").orElseThrow();
    sameFile(weights, "Range", "bytes=10-99");
    sameFile(weights, "Range", "bytes=-5");
    sameFile(weights, "Range", "bytes=999999999-");
    sameFile(weights, "If-None-Match", etag);
    sameFile(weights + "?format=safetensors");
    sameFile(weights + "?format=pickle");
    sameFile("/api/v1/models/999999999/weights");
    sameFile("/api/v1/models/" + small.id() + "/weights");
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer head = c.send("HEAD " + weights + " HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers().get("content-length")).isEqualTo(Integer.toString(largeWeights.length));
      assertThat(head.headers().get("etag")).isEqualTo(etag);
      RawHttp.Answer get = c.send("GET " + weights + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(get.body()).as("the same connection after a HEAD").isEqualTo(largeWeights);
    }
  }

  @Test
  void otherReadsAreForwarded() throws Exception {
    for (String path : List.of("/api/v1/spaces/" + space, "/api/v1/models/" + small.id(),
        "/api/v1/models/" + small.id() + "/config", "/api/v1/models?space=" + space, "/api/v1/no-such-thing",
        "/actuator/health/readiness", "/api/v1/models/best/weights")) {
      sameAnswer(path);
    }
  }

  @Test
  void writesAre405ProblemsAndTheConnectionGoesOn() throws Exception {
    try (RawHttp c = new RawHttp(serving.port())) {
      String body = "{\"name\": \"x\"}";
      RawHttp.Answer refused = c.send("POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();
      assertThat(refused.status()).isEqualTo(405);
      assertThat(refused.headers().get("allow")).isEqualTo("GET, HEAD, OPTIONS");
      assertThat(refused.headers().get("content-type")).isEqualTo("application/problem+json");
      assertThat(ApiTestSupport.JSON.readTree(refused.body()).get("field").asText()).isEqualTo("method");
      assertThat(ApiTestSupport.JSON.readTree(refused.body()).get("instance").asText()).isEqualTo("/api/v1/spaces");
      RawHttp.Answer next = c.send("GET /api/v1/models/" + small.id() + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(next.status()).isEqualTo(200);
    }
    assertThat(fast.post("/api/v1/spaces", "application/json", "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void pipelinedRequestsAnswerInTheOrderTheyCame() throws Exception {
    String lookup = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    String forwarded = "/api/v1/models/" + small.id();
    String notFound = "/api/v1/models/best?space=" + space + "&maxParams=10";
    StringBuilder requests = new StringBuilder();
    List<String> order = List.of(forwarded, lookup, notFound, lookup, forwarded, lookup);
    for (String path : order) {
      requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      c.send(requests.toString());
      for (String path : order) {
        RawHttp.Answer a = c.read();
        HttpResponse<String> expected = api.get(path);
        assertThat(a.status()).as(path).isEqualTo(expected.statusCode());
        assertThat(a.text()).as(path).isEqualTo(expected.body());
      }
    }
  }

  @Test
  void malformedRequestsGetProblemsAndACloseIfTheyCannotGoOn() throws Exception {
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET /api/v1/models/best?space=" + "x".repeat(9000) + " HTTP/1.1\r\n\r\n").read();
      assertThat(a.status()).isEqualTo(414);
      assertThat(a.headers().get("content-type")).isEqualTo("application/problem+json");
      assertThat(ApiTestSupport.JSON.readTree(a.body()).get("field").asText()).isEqualTo("uri");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET /api/v1/spaces HTTP/1.1\r\nX-Big: " + "y".repeat(9000) + "\r\n\r\n").read();
      assertThat(a.status()).isEqualTo(431);
      assertThat(ApiTestSupport.JSON.readTree(a.body()).get("field").asText()).isEqualTo("headers");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET /api/v1/spaces HTTP/1.1\r\nContent-Length: lots\r\n\r\n").read();
      assertThat(a.status()).isEqualTo(400);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void keepAliveFollowsTheClient() throws Exception {
    String lookup = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET " + lookup + " HTTP/1.0\r\n\r\n").read();
      assertThat(a.status()).isEqualTo(200);
      assertThat(c.closedByServer()).as("HTTP/1.0 without keep-alive").isTrue();
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET " + lookup + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(a.headers().get("connection")).isEqualToIgnoringCase("keep-alive");
      assertThat(c.send("GET " + lookup + " HTTP/1.1\r\nConnection: close\r\n\r\n").read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      c.send("GET /api/v1/models/" + small.id() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).as("a forwarded answer with Connection: close").isTrue();
    }
  }

  @Test
  void aConnectionClosesAfterAThousandRequestsAsNginxsDefault() throws Exception {
    String lookup = "GET /api/v1/models/best?space=" + space + "&maxParams=1e9 HTTP/1.1\r\nHost: x\r\n\r\n";
    try (RawHttp c = new RawHttp(serving.port())) {
      c.send(lookup.repeat(1_001));
      for (int i = 1; i < 1_000; i++) {
        assertThat(c.read().headers()).as("answer %d", i).doesNotContainKey("connection");
      }
      RawHttp.Answer last = c.read();
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.headers().get("connection")).isEqualToIgnoringCase("close");
      assertThat(c.readAllUntilClosed()).as("the request after it").isEmpty();
    }
  }

  @Test
  void answersItMakesItselfAreTimed() {
    Timer lookups = meters.find(ServingContext.TIMER).tag("uri", BestModelFastPath.PATH).tag("status", "200")
        .timer();
    assertThat(lookups).isNotNull();
    assertThat(meters.find(ServingContext.TIMER).tag("uri", WeightsFastPath.PATTERN).timer()).isNotNull();
  }

  private void sameAnswer(String path, String... headers) throws Exception {
    HttpResponse<String> expected = api.get(path, headers);
    HttpResponse<String> actual = fast.get(path, headers);
    assertThat(actual.statusCode()).as(path).isEqualTo(expected.statusCode());
    assertThat(actual.headers().firstValue("content-type")).as(path)
        .isEqualTo(expected.headers().firstValue("content-type"));
    assertThat(actual.body()).as(path).isEqualTo(expected.body());
  }

  private void sameFile(String path, String... headers) throws Exception {
    HttpResponse<byte[]> expected = api.getBytes(path, headers);
    HttpResponse<byte[]> actual = fast.getBytes(path, headers);
    assertThat(actual.statusCode()).as(path).isEqualTo(expected.statusCode());
    for (String h : FILE_HEADERS) {
      assertThat(actual.headers().firstValue(h)).as(path + " " + h).isEqualTo(expected.headers().firstValue(h));
    }
    assertThat(actual.body()).as(path).isEqualTo(expected.body());
  }

  private ServingTimer timer(String uri) {
    return new ServingTimer(meters, uri);
  }
}
