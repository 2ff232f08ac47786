package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.fuzz.FuzzTries;
import io.prenas.fuzz.Mutations;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Mutated request bodies sent to one running server: job submissions, space registrations (JSON and YAML) and
 * preferred-table imports, each starting from a valid body. No answer is a 5xx; every refusal is a 4xx
 * problem+json that wrote nothing (row counts of every table, files under the storage directory). A mutation can
 * leave a body valid: then its 2xx and its rows are fine, and the next comparison starts from them.
 *
 * <p>jqwik runs outside JUnit Jupiter, so Spring's test extension does not start the server: it is started here
 * once for all tries, with the {@code api} role, so that an accepted job stays queued instead of running.
 */
@AddLifecycleHook(FuzzTries.class)
class RequestBodyFuzzTest {

  static final String SPACE = "fuzz-micro";
  static final String TABLES = "jobs, spaces, models, artifacts, preferred_architectures, jobrunr_jobs";
  static final List<String> JSON_TOKENS = List.of("\"type\":", "\"space\":", "\"options\":", "\"selection\"",
      "\"training\"", "\"evaluation\"", "\"pipeline\"", "\"binMin\":", "\"binMax\":", "\"binInterval\":",
      "\"batchSize\":", "\"epochs\":", "\"dataPath\":", "\"../../etc\"", "\"/etc/passwd\"", "\"selectionJob\":",
      "\"trainingJob\":", "\"00000000-0000-0000-0000-000000000000\"", "\"supernet\":", "\"imported\"", "\"name\":",
      "\"yaml\":", "\"num_params\":", "\"score\":", "\"0.875\":", "[", "]", "{", "}", ",", ":", "null", "true", "-1",
      "0", "1e400", "-0.0", "NaN", "99999999999999999999", "2147483648", "[[[[", "\"\\u0000\"", "\"\\ud800\"",
      "\"\\n\"");

  private static ConfigurableApplicationContext server;
  private static ApiTestSupport http;

  private enum Endpoint { JOB, SPACE_JSON, SPACE_YAML, PREFERRED }

  record FuzzRequest(Endpoint endpoint, byte[] body) {
    @Override
    public String toString() {
      return endpoint + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @BeforeContainer
  static void startServer() throws Exception {
    // As arguments: they win over the test configuration (default properties would not).
    server = new SpringApplicationBuilder(PrenasServer.class).run("--prenas.role=api", "--server.port=0");
    http = new ApiTestSupport(((WebServerApplicationContext) server).getWebServer().getPort());
    assertThat(http.postJson("/api/v1/spaces", Map.of("name", SPACE, "yaml", ApiTestSupport.MICRO_YAML))
        .statusCode()).isEqualTo(201);
  }

  @AfterContainer
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Property(tries = 600)
  void aMutatedBodyIsAcceptedOrRefusedWithoutAWrite(@ForAll("requests") FuzzRequest request) throws Exception {
    Map<String, Object> before = snapshot();
    HttpResponse<String> r = send(request);
    Statistics.collect(request.endpoint(), r.statusCode() / 100 + "xx");

    assertThat(r.statusCode()).as("status; body: %s", r.body()).isLessThan(500);
    if (r.statusCode() >= 400) {
      assertThat(r.headers().firstValue("Content-Type")).as("a refusal is a problem; body: %s", r.body())
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(snapshot()).as("a refused request writes nothing").isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<FuzzRequest> requests() throws IOException {
    List<byte[]> tokens = Mutations.utf8(JSON_TOKENS);
    return Arbitraries.oneOf(
        Mutations.of(jobSeeds(), tokens).map(b -> new FuzzRequest(Endpoint.JOB, b)),
        Mutations.of(List.of(Mutations.Seed.text("space", ApiTestSupport.JSON.writeValueAsString(
            Map.of("name", "fuzz-new", "yaml", ApiTestSupport.MICRO_YAML)))), tokens)
            .map(b -> new FuzzRequest(Endpoint.SPACE_JSON, b)),
        Mutations.of(List.of(Mutations.Seed.text("yaml", ApiTestSupport.MICRO_YAML)),
            Mutations.utf8(io.prenas.fuzz.SpaceYamlTokens.TOKENS)).map(b -> new FuzzRequest(Endpoint.SPACE_YAML, b)),
        Mutations.of(List.of(new Mutations.Seed("selection.json",
            Files.readAllBytes(SharedFiles.microA("selection.json")))), tokens)
            .map(b -> new FuzzRequest(Endpoint.PREFERRED, b)));
  }

  static List<Mutations.Seed> jobSeeds() {
    return List.of(
        Mutations.Seed.text("selection", "{\"type\":\"selection\",\"space\":\"" + SPACE + "\",\"options\":{"
            + "\"binMin\":0,\"binMax\":2,\"binInterval\":0.5,\"candidatesPerBin\":1,\"batchSize\":8,\"seed\":1,"
            + "\"scoreMode\":\"subnet\"}}"),
        Mutations.Seed.text("training", "{\"type\":\"training\",\"space\":\"" + SPACE + "\",\"options\":{"
            + "\"epochs\":1,\"batchSize\":8,\"sampler\":\"balanced\",\"dataPath\":\"fmnist\"}}"),
        Mutations.Seed.text("evaluation", "{\"type\":\"evaluation\",\"space\":\"" + SPACE + "\",\"options\":{"
            + "\"supernet\":\"imported\",\"dataPath\":\"val\",\"publish\":true}}"),
        Mutations.Seed.text("pipeline", "{\"type\":\"pipeline\",\"space\":\"" + SPACE + "\",\"options\":{"
            + "\"epochs\":1,\"binMin\":0,\"binMax\":2,\"binInterval\":0.5}}"));
  }

  private static HttpResponse<String> send(FuzzRequest r) throws Exception {
    String path = switch (r.endpoint()) {
      case JOB -> "/api/v1/jobs";
      case SPACE_JSON -> "/api/v1/spaces";
      case SPACE_YAML -> "/api/v1/spaces?name=fuzz-yaml";
      case PREFERRED -> "/api/v1/spaces/" + SPACE + "/preferred";
    };
    String type = r.endpoint() == Endpoint.SPACE_YAML ? "application/yaml" : "application/json";
    return http.send(HttpRequest.newBuilder(http.uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(r.body())));
  }

  /** Row counts of every table and the files (with sizes) under the storage directory. */
  private static Map<String, Object> snapshot() throws IOException {
    JdbcTemplate db = server.getBean(JdbcTemplate.class);
    Map<String, Object> s = new TreeMap<>();
    for (String table : TABLES.split(", ")) {
      s.put(table, db.queryForObject("SELECT count(*) FROM " + table, Long.class));
    }
    Path root = server.getBean(ArtifactStore.class).root();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(f -> s.put(root.relativize(f).toString(), f.toFile().length()));
    }
    return s;
  }
}
