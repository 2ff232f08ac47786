package io.prenas.cli;

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
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code bench load} against the test server: a short open-loop models/best phase and two download rounds. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BenchLoadCommandTest {

  static final String YAML = """
      SUPERNET: {EMBED_DIM: 128, DEPTH: 2, NUM_HEADS: 2, MLP_RATIO: 2.0}
      SEARCH_SPACE: {EMBED_DIM: [64, 128], DEPTH: [1, 2], NUM_HEADS: [1, 2], MLP_RATIO: [1.0, 2.0]}
      """;

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Test
  void reportsLatencyPercentilesAndDownloadThroughput(@TempDir Path dir) throws Exception {
    String space = "load-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(space, YAML);
    byte[] weights = new byte[256 * 1024];
    new java.util.Random(1).nextBytes(weights);
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream(weights), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    PublishedModel m = models.publish(space, "e64_d1_h1_m1", "{\"layer_num\": 1}", 1000, 1e6, 50.0, 90.0, stored,
        null);
    String base = "http://127.0.0.1:" + port;
    Path out = dir.resolve("load.json");

    CliRun run = CliRun.of("bench", "load", "--url", base, "--space", space, "--max-params", "5000",
        "--rate", "50", "--duration", "1", "--warmup", "0.2", "--concurrency", "1,2", "--download-seconds", "0.5",
        "--compare-url", base + "/api/v1/models/" + m.id() + "/weights", "--lookup-concurrency", "1,4",
        "--lookup-requests", "40", "--soak-requests", "300", "--soak-clients", "4",
        "--server-pid", Long.toString(ProcessHandle.current().pid()), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("models/best at 50 req/s").contains("weights from server, 2 clients");
    JsonNode r = new ObjectMapper().readTree(out.toFile());
    assertThat(r.get("modelId").asLong()).isEqualTo(m.id());
    assertThat(r.get("weightsBytes").asLong()).isEqualTo(weights.length);
    assertThat(r.at("/best/requests").asInt()).isEqualTo(50);
    assertThat(r.at("/best/errors").asLong()).isZero();
    assertThat(r.at("/best/p99Ms").asDouble()).isPositive().isGreaterThanOrEqualTo(r.at("/best/p50Ms").asDouble());
    assertThat(r.get("downloads")).hasSize(4);
    for (JsonNode d : r.get("downloads")) {
      assertThat(d.get("downloads").asInt()).isPositive();
      assertThat(d.get("errors").asLong()).isZero();
      assertThat(d.get("mbPerSecond").asDouble()).isPositive();
    }
    assertThat(r.get("serverOverCompare")).hasSize(2);
    assertThat(r.get("bestByConcurrency")).hasSize(2);
    for (JsonNode round : r.get("bestByConcurrency")) {
      assertThat(round.get("requests").asInt()).isEqualTo(40);
      assertThat(round.get("errors").asLong()).isZero();
      assertThat(round.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(round.get("p50Ms").asDouble());
    }
    assertThat(r.at("/soak/requests").asInt()).isEqualTo(300);
    assertThat(r.at("/soak/downloads").asInt()).isEqualTo(30);
    assertThat(r.at("/soak/errors").asLong()).isZero();
    assertThat(r.at("/soak/rssKib").size()).isGreaterThan(5); // the test JVM is the server here
    assertThat(run.out()).contains("soak: 300 requests (30 downloads)");

    CliRun none = CliRun.of("bench", "load", "--url", base, "--space", space, "--max-params", "10",
        "--duration", "1");
    assertThat(none.singleErrorLine()).contains("404");
  }
}
