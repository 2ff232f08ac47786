package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import io.prenas.testing.TestPostgres;
import io.prenas.testing.WorkerProcess;
import io.prenas.training.Checkpoint;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Real worker processes against one PostgreSQL and one storage directory, with this test's server in role
 * {@code api} (it runs no job): two live workers never run the same job, and a worker killed with SIGKILL in the
 * middle of a training has its job picked up by the other worker, which resumes from the last checkpoint and counts
 * no step twice.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.role=api", "prenas.jobs.lease=3s"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFailoverTest {

  static final Path PICO = Path.of("src/test/resources/spaces/pico.yaml");
  static final Pattern PID = Pattern.compile("^(\\d+)@");

  static TestPostgres postgres;
  static Path storage;
  static Path data;
  static final List<WorkerProcess> WORKERS = new ArrayList<>();
  static String space;

  @DynamicPropertySource
  static void shared(DynamicPropertyRegistry registry) throws Exception {
    postgres = TestPostgres.start();
    storage = Files.createTempDirectory("prenas-failover-artifacts-");
    data = Files.createTempDirectory("prenas-failover-data-");
    registry.add("spring.datasource.url", postgres::jdbcUrl);
    registry.add("spring.datasource.username", postgres::username);
    registry.add("prenas.storage.dir", storage::toString);
    registry.add("prenas.data.dir", data::toString);
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (WorkerProcess w : WORKERS) {
      w.close();
    }
    postgres.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  JdbcTemplate jdbc;

  ApiTestSupport http;

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    if (space == null) {
      space = "pico-failover";
      HttpResponse<String> r = http.postJson("/api/v1/spaces", Map.of("name", space, "yaml", Files.readString(PICO)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      TrainingJobsTest.writeIdx(data.resolve("quadrants"), "train", 192, 1);
      TrainingJobsTest.writeIdx(data.resolve("quadrants"), "t10k", 32, 2);
      WORKERS.add(startWorker("a"));
      WORKERS.add(startWorker("b"));
    }
  }

  private WorkerProcess startWorker(String name) throws Exception {
    return WorkerProcess.start(name, List.of(
        "spring.datasource.url=" + postgres.jdbcUrl(),
        "spring.datasource.username=" + postgres.username(),
        "prenas.storage.dir=" + storage,
        "prenas.data.dir=" + data,
        "prenas.jobs.lease=3s",
        "prenas.jobs.progress-interval=100ms",
        "prenas.training.checkpoint-every=10",
        "prenas.training.loader-threads=1",
        "jobrunr.background-job-server.poll-interval-in-seconds=5"));
  }

  @Test
  @Order(1)
  void twoLiveWorkersNeverRunTheSameJob() throws Exception {
    List<String> locations = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      locations.add(submit("selection", Map.of("batchSize", 8, "seed", i)));
    }
    List<Long> pids = WORKERS.stream().map(WorkerProcess::pid).toList();
    for (String location : locations) {
      JsonNode job = http.awaitEnd(location, 300);
      assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      assertThat(job.get("attempts").asInt()).as("claimed once: %s", job).isEqualTo(1);
      assertThat(count(job.get("logLines").toString(), "started on ")).as(job.toString()).isEqualTo(1);
      assertThat(pids).contains(pid(job));
    }
  }

  @Test
  @Order(2)
  void aKilledWorkersTrainingResumesOnTheOtherWorkerFromItsCheckpoint() throws Exception {
    JsonNode selection = http.awaitEnd(submit("selection", Map.of("batchSize", 8)), 300);
    assertThat(selection.get("state").asText()).as(selection.toString()).isEqualTo("SUCCEEDED");
    long total = 192 / 8 * 25;
    String location = submit("training", Map.of("dataPath", "quadrants", "epochs", 25, "batchSize", 8, "seed", 5,
        "selectionJob", selection.get("id").asText()));

    JsonNode running = http.awaitJob(location, j -> ApiTestSupport.ended(j)
        || (j.get("state").asText().equals("RUNNING")
        && j.hasNonNull("checkpointSha256") && j.at("/progress/done").asLong() > 0), 300);
    assertThat(running.get("state").asText()).as("still training when killed: %s", running).isEqualTo("RUNNING");
    WorkerProcess victim = WORKERS.stream().filter(w -> w.pid() == pid(running)).findFirst().orElseThrow();
    victim.kill();
    long checkpointedBeforeKill = Checkpoint.read(artifacts.get(running.get("checkpointSha256").asText()).file())
        .state().globalStep();
    WorkerProcess survivor = WORKERS.stream().filter(w -> w != victim).findFirst().orElseThrow();
    assertThat(survivor.isAlive()).as("see %s", survivor.log()).isTrue();

    JsonNode done = http.awaitEnd(location, 300);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(pid(done)).as("finished by the other worker").isEqualTo(survivor.pid());
    assertThat(done.get("attempts").asInt()).isEqualTo(2);
    long resumedFrom = done.at("/metrics/resumedFromStep").asLong();
    assertThat(resumedFrom).as("resumed from the checkpoint, not from scratch")
        .isGreaterThanOrEqualTo(checkpointedBeforeKill).isPositive().isLessThan(total);
    assertThat(done.at("/metrics/stepsThisAttempt").asLong()).as("no step counted twice")
        .isEqualTo(total - resumedFrom);
    assertThat(done.at("/metrics/globalStep").asLong()).isEqualTo(total);
    assertThat(done.at("/progress/done").asLong()).isEqualTo(total);
    // Dozens of checkpoints were written (every 10 steps); only the job's latest is kept (a kill between storing
    // one and recording it may leave one more).
    assertThat(jdbc.queryForObject("SELECT count(*) FROM artifacts WHERE kind = 'CHECKPOINT'", Long.class))
        .isBetween(1L, 2L);
    assertThat(artifacts.find(done.get("checkpointSha256").asText())).isPresent();
  }

  private String submit(String type, Map<String, Object> options) throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", type, "space", space, "options", options));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static long pid(JsonNode job) {
    Matcher m = PID.matcher(job.path("worker").asText());
    assertThat(m.find()).as("worker of %s", job).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
