package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Containment on the default single-process server (role {@code all}: HTTP and jobs in one JVM, the engine work of
 * each job in an engine process of its own): a job that exhausts the Java heap and a job whose libtorch allocations go
 * past the native limit each fail alone, FAILED with {@code OUT_OF_MEMORY} and a reason naming the limit, on their
 * first attempt; while and after they run, {@code /actuator/health} answers UP and {@code models/best} serves its
 * model; the next job succeeds.
 *
 * <p>The engine process gets a 512 MB heap and 512 MB of native memory (its address space: those plus the reserve);
 * the memory budget of admission is set far above, so that both jobs are let through to fail at run time, as a job
 * whose estimate is off would.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.worker.child.heap=512MB", "prenas.worker.child.native-memory=512MB",
        "prenas.worker.memory-budget=64GB", "jobrunr.background-job-server.poll-interval-in-seconds=5"})
class ContainmentTest {

  /** One qkv weight of 8192 x 24576 floats (805 MB): the seeded init's Java array alone is past a 512 MB heap. */
  static final String HEAP_HUNGRY = """
      SUPERNET:
        EMBED_DIM: 8192
        DEPTH: 1
        NUM_HEADS: 1
        MLP_RATIO: 1.0
      SEARCH_SPACE:
        EMBED_DIM: [8192]
        DEPTH: [1]
        NUM_HEADS: [1]
        MLP_RATIO: [1.0]
      MODEL:
        IMAGE_SIZE: 32
        PATCH_SIZE: 16
        IN_CHANS: 1
        NUM_CLASSES: 4
      """;

  /**
   * Small weights, 4097 tokens (256 x 256 images in 4 x 4 patches), 4 heads: the attention scores of one micro-batch
   * of 4 images (the gradient pass's default) are 4 x 4 x 4097^2 floats (1 GiB) per tensor, several of them: past the
   * native limit (the engine process's address space, about 4 GiB here), not past the machine.
   */
  static final String NATIVE_HUNGRY = """
      SUPERNET:
        EMBED_DIM: 256
        DEPTH: 1
        NUM_HEADS: 4
        MLP_RATIO: 1.0
      SEARCH_SPACE:
        EMBED_DIM: [256]
        DEPTH: [1]
        NUM_HEADS: [4]
        MLP_RATIO: [1.0]
      MODEL:
        IMAGE_SIZE: 256
        PATCH_SIZE: 4
        IN_CHANS: 1
        NUM_CLASSES: 4
      """;

  @LocalServerPort
  int port;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  ApiTestSupport http;
  String pico;
  PublishedModel published;
  final List<String> unanswered = new CopyOnWriteArrayList<>();
  final AtomicInteger answered = new AtomicInteger();
  final AtomicBoolean polling = new AtomicBoolean(true);
  Thread poller;

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    pico = register("pico-", Files.readString(Path.of("src/test/resources/spaces/pico.yaml")));
    StoredArtifact weights = artifacts.store(new ByteArrayInputStream(("weights " + pico).getBytes(
        StandardCharsets.UTF_8)), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    published = models.publish(pico, "e64_d2_h1-1_m2-2", "{\"layer_num\": 2}", 40_000, 1e6, 60.0, 90.0, weights,
        null);
    poller = new Thread(this::pollServer, "containment-poller");
    poller.setDaemon(true);
    poller.start();
  }

  @AfterEach
  void stopPolling() throws InterruptedException {
    polling.set(false);
    poller.join(10_000);
  }

  @Test
  void aJobThatExhaustsTheJavaHeapFailsAloneAndTheNextJobRuns() throws Exception {
    String space = register("heap-hungry-", HEAP_HUNGRY);
    JsonNode failed = http.awaitEnd(submit(space, Map.of("batchSize", 4)), 120);
    assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("failureClass").asText()).as(failed.toString()).isEqualTo("OUT_OF_MEMORY");
    assertThat(failed.get("failureReason").asText()).as(failed.toString())
        .contains("Java heap").contains("prenas.worker.child.heap").contains("heap 512 MiB");
    assertThat(failed.get("attempts").asInt()).as("not retried").isEqualTo(1);
    serverStillAnswers();
    nextJobSucceeds();
  }

  @Test
  void aJobPastTheNativeLimitFailsAloneAndTheNextJobRuns() throws Exception {
    String space = register("native-hungry-", NATIVE_HUNGRY);
    JsonNode failed = http.awaitEnd(submit(space, Map.of("batchSize", 16)), 120);
    assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("failureClass").asText()).as(failed.toString()).isEqualTo("OUT_OF_MEMORY");
    assertThat(failed.get("failureReason").asText()).as(failed.toString())
        .contains("native").contains("address space").contains("native memory 512 MiB");
    assertThat(failed.get("attempts").asInt()).as("not retried").isEqualTo(1);
    serverStillAnswers();
    nextJobSucceeds();
  }

  private void serverStillAnswers() throws Exception {
    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(json(health).get("status").asText()).isEqualTo("UP");
    assertThat(best()).isEqualTo(published.id().toString());
    assertThat(unanswered).as("health and models/best while the job ran").isEmpty();
    assertThat(answered.get()).as("polls while the job ran").isPositive();
  }

  private void nextJobSucceeds() throws Exception {
    JsonNode next = http.awaitEnd(submit(pico, Map.of("batchSize", 4)), 120);
    assertThat(next.get("state").asText()).as(next.toString()).isEqualTo("SUCCEEDED");
    assertThat(unanswered).isEmpty();
  }

  /** Health and the budget lookup, every 200 ms, as a load balancer and a client would. */
  private void pollServer() {
    while (polling.get()) {
      try {
        HttpResponse<String> health = http.send("GET", "/actuator/health", null, java.time.Duration.ofSeconds(5));
        String model = best();
        if (health.statusCode() != 200 || !json(health).get("status").asText().equals("UP")
            || !published.id().toString().equals(model)) {
          unanswered.add("health " + health.statusCode() + " " + health.body() + ", best " + model);
        } else {
          answered.incrementAndGet();
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        unanswered.add(e.toString());
      }
    }
  }

  private String best() throws Exception {
    HttpResponse<String> r = http.send("GET", "/api/v1/models/best?space=" + pico + "&maxParams=1e9", null,
        java.time.Duration.ofSeconds(5));
    return r.statusCode() == 200 ? json(r).get("id").asText() : r.statusCode() + " " + r.body();
  }

  private String register(String prefix, String yaml) throws Exception {
    String name = prefix + java.util.UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r = http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", yaml));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return name;
  }

  private String submit(String space, Map<String, Object> options) throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", space, "options",
        options));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.headers().firstValue("Location").orElseThrow();
  }
}
