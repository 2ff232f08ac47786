package io.prenas.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import io.prenas.testing.TestSpaces;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Prometheus endpoint and the structured logs of a running server: latency buckets for the budget lookup and
 * the weight downloads, the job gauges over rows of the jobs table, and JSON log lines that name the job they were
 * written in. The server runs with {@code prenas.log.format=json}, as {@code PRENAS_LOG_FORMAT=json} would set it.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.log.format=json", "prenas.metrics.jobs-refresh=100ms"})
@AutoConfigureObservability(tracing = false) // tests run without metric exporters unless asked
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {

  /**
   * Logback keeps the logging set-up of the first Spring context of a JVM for every later one (its context is marked
   * initialised until a context closes, and cached test contexts stay open). This server must log JSON whichever test
   * context started first, so the set-up is reset before it starts.
   */
  @BeforeAll
  static void setUpLoggingAfresh() {
    LoggingSystem.get(ObservabilityTest.class.getClassLoader()).cleanUp();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired
  TestRestTemplate http;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  JdbcTemplate jdbc;

  @Test
  void budgetLookupAndDownloadsHaveLatencyHistograms() throws Exception {
    String space = space();
    byte[] weights = ("weights " + space).repeat(50).getBytes(StandardCharsets.UTF_8);
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream(weights), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    PublishedModel m = models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3}", 1000, 1e6, 60.0, 80.0,
        stored, null);

    assertThat(http.getForEntity("/api/v1/models/best?space=" + space + "&maxParams=5000", String.class)
        .getStatusCode().value()).isEqualTo(200);
    // with a plain JSON Accept header the lookup is answered ahead of Spring MVC (BestModelFastPath): counted alike
    HttpHeaders plainJson = new HttpHeaders();
    plainJson.setAccept(List.of(MediaType.APPLICATION_JSON));
    assertThat(http.exchange("/api/v1/models/best?space=" + space + "&maxParams=5000", HttpMethod.GET,
        new HttpEntity<>(plainJson), String.class).getHeaders().getContentLength()).isPositive();
    ResponseEntity<byte[]> download = http.getForEntity("/api/v1/models/" + m.id() + "/weights", byte[].class);
    assertThat(download.getBody()).isEqualTo(weights);
    assertThat(http.getForEntity("/api/v1/models/" + m.id(), String.class).getStatusCode().value()).isEqualTo(200);

    String lookup = "uri=\"/api/v1/models/best\"";
    String weightsUri = "uri=\"/api/v1/models/{id}/weights\"";
    // The server records a request after its response went out: wait until both are counted.
    String body = awaitScrape(b -> sample(b, "http_server_requests_seconds_bucket", lookup, "le=\"+Inf\"") >= 2
        && sample(b, "http_server_requests_seconds_bucket", weightsUri, "le=\"+Inf\"") >= 1);
    assertThat(sample(body, "http_server_requests_seconds_bucket", lookup, "le=\"5.0E-4\"")).isNotNaN();
    assertThat(sample(body, "http_server_requests_seconds_bucket", lookup, "le=\"1.0\"")).isEqualTo(2);
    assertThat(sample(body, "http_server_requests_seconds_bucket", weightsUri, "le=\"300.0\"")).isEqualTo(1);
    assertThat(sample(body, "http_server_requests_seconds_count", weightsUri, "status=\"200\"")).isEqualTo(1);
    assertThat(sample(body, "http_server_requests_seconds_count", "uri=\"/api/v1/models/{id}\"")).isEqualTo(1);
  }

  @Test
  void jobGaugesCountTheRowsOfTheJobsTable() throws Exception {
    String body = awaitScrape(b -> !Double.isNaN(sample(b, "prenas_jobs_queued")));
    double failedTraining = sample(body, "prenas_jobs", "state=\"FAILED\"", "type=\"training\"");
    double queuedEvaluation = sample(body, "prenas_jobs", "state=\"QUEUED\"", "type=\"evaluation\"");
    double queued = sample(body, "prenas_jobs_queued");
    assertThat(sample(body, "prenas_jobs", "state=\"CANCELLED\"", "type=\"pipeline\"")).as("zeros are series too")
        .isZero();

    String space = space();
    for (int i = 0; i < 3; i++) {
      insertJob("TRAINING", "FAILED", space);
    }
    insertJob("EVALUATION", "QUEUED", space);
    insertJob("EVALUATION", "QUEUED", space);

    body = awaitScrape(b -> sample(b, "prenas_jobs", "state=\"FAILED\"", "type=\"training\"") == failedTraining + 3);
    assertThat(sample(body, "prenas_jobs", "state=\"QUEUED\"", "type=\"evaluation\"")).isEqualTo(queuedEvaluation + 2);
    assertThat(sample(body, "prenas_jobs_queued")).isEqualTo(queued + 2);
    assertThat(body).contains("jobrunr_jobs_by_state");
  }

  @Test
  void trainingMetricsAreExposedUnderTheirPrometheusNames() throws Exception {
    String body = awaitScrape(b -> true);
    assertThat(sample(body, "prenas_training_steps_total")).isZero();
    assertThat(sample(body, "prenas_training_images_total")).isZero();
    assertThat(sample(body, "prenas_training_images_per_second")).as("no training runs").isZero();
    assertThat(sample(body, "prenas_training_loss")).isNaN();
    assertThat(body).contains("prenas_training_loss{");
  }

  @Test
  void logLinesWrittenInsideAJobAreJsonWithTheJobId(CapturedOutput output) throws Exception {
    String space = space();
    Map<String, Object> options = Map.of("binMin", 0.375, "binMax", 1.125, "binInterval", 0.125,
        "candidatesPerBin", 1);
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.set("X-API-Key", "test-write-key"); // the write key whose hash the test configuration holds
    ResponseEntity<String> submitted = http.postForEntity("/api/v1/jobs", new org.springframework.http.HttpEntity<>(
        Map.of("type", "selection", "space", space, "options", options), headers), String.class);
    assertThat(submitted.getStatusCode().value()).as(submitted.getBody()).isEqualTo(202);
    String id = JSON.readTree(submitted.getBody()).get("id").asText();
    awaitEnd(id);

    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.getOut().split("\\R")) {
      if (line.contains(id) && line.contains("\"jobId\"")) {
        lines.add(JSON.readTree(line)); // each line is one JSON object, or this throws
      }
    }
    assertThat(lines).as(output.getOut()).isNotEmpty();
    for (JsonNode line : lines) {
      assertThat(line.get("jobId").asText()).isEqualTo(id);
      assertThat(line.path("message").asText()).isNotEmpty();
    }
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.path("jobType").asText()).isEqualTo("selection");
      assertThat(l.path("jobPhase").asText()).isNotEmpty();
    });
    assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).contains("started on"));
  }

  private String space() {
    String name = "obs-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(name, TestSpaces.MICRO_YAML);
    return name;
  }

  private void insertJob(String type, String state, String space) {
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.update("INSERT INTO jobs (id, type, state, space, options, created_at, updated_at) "
        + "VALUES (?, ?, ?, ?, '{}'::jsonb, ?, ?)", UUID.randomUUID(), type, state, space, now, now);
  }

  private void awaitEnd(String id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
    while (Instant.now().isBefore(deadline)) {
      String state = JSON.readTree(http.getForEntity("/api/v1/jobs/" + id, String.class).getBody())
          .get("state").asText();
      if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + id + " did not end in 180 s");
  }

  /** Scrapes until the body satisfies the condition (10 s at most), and returns the last body. */
  private String awaitScrape(java.util.function.Predicate<String> condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    String body;
    do {
      ResponseEntity<String> r = http.getForEntity("/actuator/prometheus", String.class);
      assertThat(r.getStatusCode().value()).isEqualTo(200);
      body = r.getBody();
      if (condition.test(body)) {
        return body;
      }
      Thread.sleep(100);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("the scrape never matched:\n" + body);
  }

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");

  /** The value of the first sample of {@code name} whose labels include all {@code labels}; NaN when none. */
  static double sample(String body, String name, String... labels) {
    for (String line : body.split("\\R")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      String have = m.group(3) == null ? "" : "," + m.group(3) + ",";
      boolean all = true;
      for (String l : labels) {
        all &= have.contains("," + l + ",");
      }
      if (all) {
        return Double.parseDouble(m.group(4));
      }
    }
    return Double.NaN;
  }
}
