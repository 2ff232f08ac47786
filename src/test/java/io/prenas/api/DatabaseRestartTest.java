package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.system.PrenasServer;
import io.prenas.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL restarted under a serving api: while it is away, requests fail fast and cleanly (503 problem with
 * Retry-After, readiness DOWN, liveness UP, nothing half-written); once it is back, the same server answers again
 * without a restart and the data written before the outage are all there.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.role=api", "spring.datasource.hikari.connection-timeout=2000"})
@DirtiesContext
class DatabaseRestartTest {

  static TestPostgres postgres;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws Exception {
    postgres = TestPostgres.start();
    registry.add("spring.datasource.url", postgres::jdbcUrl);
    registry.add("spring.datasource.username", postgres::username);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    postgres.close();
  }

  @LocalServerPort
  int port;

  @Test
  void requestsFailCleanlyWhileTheDatabaseIsAwayAndRecoverWithoutARestart() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    HttpResponse<String> created = http.postJson("/api/v1/spaces", Map.of("name", "before-outage", "yaml", MICRO_YAML));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(http.get("/api/v1/jobs").statusCode()).isEqualTo(200);

    postgres.stop();

    for (String path : new String[] {"/api/v1/jobs", "/api/v1/spaces/before-outage",
        "/api/v1/models/best?space=before-outage&maxParams=1000000"}) {
      Instant t0 = Instant.now();
      HttpResponse<String> r = http.get(path);
      assertThat(Duration.between(t0, Instant.now())).as("fails fast: %s", path).isLessThan(Duration.ofSeconds(15));
      assertOutage(r);
    }
    HttpResponse<String> write = http.postJson("/api/v1/spaces", Map.of("name", "during-outage", "yaml", MICRO_YAML));
    assertOutage(write);
    HttpResponse<String> submit = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "before-outage"));
    assertOutage(submit);
    assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
    assertThat(http.get("/actuator/health/liveness").statusCode()).as("no restart wanted").isEqualTo(200);

    postgres.startAgain();

    HttpResponse<String> back = awaitStatus(http, "/api/v1/jobs", 200, Duration.ofSeconds(60));
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(json(http.get("/api/v1/spaces/before-outage")).get("name").asText()).isEqualTo("before-outage");
    assertThat(http.get("/api/v1/spaces/during-outage").statusCode()).as("nothing half-written").isEqualTo(404);
    HttpResponse<String> after = http.postJson("/api/v1/spaces", Map.of("name", "after-outage", "yaml", MICRO_YAML));
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    assertThat(awaitStatus(http, "/actuator/health/readiness", 200, Duration.ofSeconds(30)).statusCode())
        .isEqualTo(200);
  }

  private static void assertOutage(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(r.headers().firstValue("Retry-After")).contains("5");
    assertThat(json(r).get("title").asText()).isEqualTo("Database unavailable");
    assertThat(r.body()).doesNotContain("Exception", "at io.", "org.postgresql");
  }

  private static HttpResponse<String> awaitStatus(ApiTestSupport http, String path, int status, Duration timeout)
      throws Exception {
    Instant end = Instant.now().plus(timeout);
    HttpResponse<String> r = http.get(path);
    while (r.statusCode() != status && Instant.now().isBefore(end)) {
      Thread.sleep(500);
      r = http.get(path);
    }
    return r;
  }
}
