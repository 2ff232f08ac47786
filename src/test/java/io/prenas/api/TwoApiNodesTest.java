package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.catalog.CatalogVersionWatch;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.WatchLeases;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import io.prenas.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two api nodes (this test's server, A, and a second Spring application, B) on one PostgreSQL and one storage
 * directory, each with its own in-memory budget index: a withdrawal or a new release made through one node is in the
 * very next answer of the other. No waiting and no timing: every lookup checks the catalog's version in the database.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "prenas.role=api")
@DirtiesContext
class TwoApiNodesTest {

  static TestPostgres postgres;
  static Path storage;
  static ConfigurableApplicationContext nodeB;

  @DynamicPropertySource
  static void shared(DynamicPropertyRegistry registry) throws Exception {
    postgres = TestPostgres.start();
    storage = Files.createTempDirectory("prenas-two-nodes-");
    registry.add("spring.datasource.url", postgres::jdbcUrl);
    registry.add("spring.datasource.username", postgres::username);
    registry.add("prenas.storage.dir", storage::toString);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (nodeB != null) {
      nodeB.close();
    }
    postgres.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  CatalogVersionWatch watchA;

  @Test
  void aWithdrawalOrReleaseThroughOneNodeIsInTheOthersNextAnswer() throws Exception {
    // As arguments: they win over the test configuration.
    nodeB = new SpringApplicationBuilder(PrenasServer.class).run("--prenas.role=api", "--server.port=0",
        "--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=" + postgres.username(),
        "--prenas.storage.dir=" + storage);
    ApiTestSupport a = new ApiTestSupport(port);
    ApiTestSupport b = new ApiTestSupport(((WebServerApplicationContext) nodeB).getWebServer().getPort());
    String space = "two-nodes";
    spaces.register(space, MICRO_YAML);
    UUID first = job(space);
    PublishedModel best = publish(space, first, 1_000, 90.0);
    PublishedModel next = publish(space, first, 1_000, 80.0);
    models.completeRelease(first);
    String bestUrl = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    // both nodes have loaded their index
    assertThat(json(a.get(bestUrl)).get("id").asLong()).isEqualTo(best.id());
    assertThat(json(b.get(bestUrl)).get("id").asLong()).isEqualTo(best.id());
    // and answer from the version pushed to them, not from a read of their own
    WatchLeases.await(watchA);
    WatchLeases.await(nodeB.getBean(CatalogVersionWatch.class));

    assertThat(a.postJson("/api/v1/models/" + best.id() + "/withdraw", Map.of("reason", "bad labels"))
        .statusCode()).isEqualTo(200);
    assertThat(json(b.get(bestUrl)).get("id").asLong()).as("node B, right after the withdrawal on node A")
        .isEqualTo(next.id());
    assertThat(json(b.get("/api/v1/models/" + best.id())).get("withdrawnReason").asText()).isEqualTo("bad labels");
    assertThat(b.getBytes("/api/v1/models/" + best.id() + "/weights").statusCode()).isEqualTo(200);

    assertThat(b.postJson("/api/v1/models/" + next.id() + "/withdraw", Map.of("reason", "superseded"))
        .statusCode()).isEqualTo(200);
    assertThat(a.get(bestUrl).statusCode()).as("node A, right after the withdrawal on node B").isEqualTo(404);

    UUID second = job(space);
    PublishedModel fresh = publish(space, second, 2_000, 70.0);
    models.completeRelease(second);
    assertThat(json(b.get(bestUrl)).get("id").asLong()).as("node B, right after a release through node A")
        .isEqualTo(fresh.id());
    assertThat(json(b.get("/api/v1/spaces/" + space + "/releases")).get(0).get("id").asText())
        .isEqualTo(second.toString());
  }

  private UUID job(String space) {
    UUID id = UUID.randomUUID();
    jdbc.update("INSERT INTO jobs (id, type, state, space, options, created_at, updated_at) "
        + "VALUES (?, 'EVALUATION', 'SUCCEEDED', ?, '{}'::jsonb, now(), now())", id, space);
    return id;
  }

  private PublishedModel publish(String space, UUID job, long params, double top1) throws Exception {
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream((job + " " + params + " " + top1)
        .getBytes(StandardCharsets.UTF_8)), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    return models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3}", params, 1e6, top1, top1, stored, job);
  }
}
