package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.testing.TestSpaces;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Raw HTTP against the running test server (the real status codes, headers and bodies). Every request carries the
 * test write key (see the test configuration) unless it names its own {@code X-API-Key} or {@code Authorization}, or
 * the support was made {@link #withKey with another key} or none.
 */
final class ApiTestSupport {

  /** Keys whose hashes are in {@code src/test/resources/config/application.properties}. */
  static final String WRITE_KEY = "test-write-key";
  static final String READ_KEY = "test-read-key";

  static final ObjectMapper JSON = new ObjectMapper();
  static final String MICRO_YAML = TestSpaces.MICRO_YAML;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String key;

  ApiTestSupport(int port) {
    this(port, WRITE_KEY);
  }

  private ApiTestSupport(int port, String key) {
    this.port = port;
    this.key = key;
  }

  /** The same server with another default key; {@code null} sends none. */
  ApiTestSupport withKey(String key) {
    return new ApiTestSupport(port, key);
  }

  /** Sends a request built by the caller, with the default key added as for every other method here. */
  HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return client.send(auth(b).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder auth(HttpRequest.Builder b) {
    HttpRequest probe = b.copy().build();
    if (key != null && probe.headers().firstValue("X-API-Key").isEmpty()
        && probe.headers().firstValue("Authorization").isEmpty()) {
      b.header("X-API-Key", key);
    }
    return b;
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(auth(b).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(auth(b).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
    return client.send(auth(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()))
        .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path, String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(auth(b).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postBytes(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return client.send(auth(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", contentType)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Registers the micro space of the tests under a fresh name ({@code prefix} plus 8 random characters). */
  String registerMicroSpace(String prefix) throws IOException, InterruptedException {
    String name = prefix + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r = postJson("/api/v1/spaces", java.util.Map.of("name", name, "yaml", MICRO_YAML));
    if (r.statusCode() != 201) {
      throw new AssertionError("registering " + name + ": " + r.statusCode() + " " + r.body());
    }
    return name;
  }

  HttpResponse<String> postJson(String path, Object body, String... headers) throws IOException, InterruptedException {
    return post(path, "application/json", body instanceof String s ? s : JSON.writeValueAsString(body), headers);
  }

  /**
   * Any method, with the given headers (name, value pairs; only the default key is added, unless the headers carry
   * one) and body ({@code null} for none). A request that takes over {@code timeout} fails instead of hanging the
   * test.
   */
  HttpResponse<String> send(String method, String path, byte[] body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(auth(b).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls a job's {@code location} until {@code until} holds; fails the test after {@code seconds}. */
  JsonNode awaitJob(String location, Predicate<JsonNode> until, int seconds) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(seconds);
    while (Instant.now().isBefore(deadline)) {
      JsonNode job = json(get(location));
      if (job.has("id")) {
        ContractSchemas.assertValid("JobResponse", job); // what generated clients will read
      }
      if (until.test(job)) {
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + location + " not there in " + seconds + " s: " + get(location).body());
  }

  /** Polls a job until it has ended (SUCCEEDED, FAILED or CANCELLED). */
  JsonNode awaitEnd(String location, int seconds) throws IOException, InterruptedException {
    return awaitJob(location, ApiTestSupport::ended, seconds);
  }

  static boolean ended(JsonNode job) {
    String state = job.get("state").asText();
    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }
}
