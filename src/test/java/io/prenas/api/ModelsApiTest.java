package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static io.prenas.api.SpacesApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.CatalogVersionWatch;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.WatchLeases;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The budget lookup and the weight downloads, over models inserted through the catalog and the artifact store. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelsApiTest {

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  CatalogVersionWatch watch;

  @Autowired
  DataSource dataSource;

  ApiTestSupport http;
  String space;
  PublishedModel a;
  PublishedModel b;
  PublishedModel c;
  byte[] weightsB;

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    space = "budget-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(space, MICRO_YAML);
    weightsB = ("weights of b " + space).repeat(100).getBytes(StandardCharsets.UTF_8);
    a = publish(1_000, 5e6, 50.0, ("weights of a " + space).getBytes(StandardCharsets.UTF_8));
    b = publish(2_000, 4e6, 70.0, weightsB);
    c = publish(3_000, 9e6, 70.0, ("weights of c " + space).getBytes(StandardCharsets.UTF_8));
    publish(500, 1e6, null, ("not evaluated " + space).getBytes(StandardCharsets.UTF_8));
  }

  private PublishedModel publish(long params, double flops, Double top1, byte[] weights) throws Exception {
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream(weights), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    return models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3, \"embed_dim\": [96, 96, 96]}", params,
        flops, top1, top1 == null ? null : top1 + 20, stored, null);
  }

  @Test
  void lookupsMakeNoDatabaseRoundTripWhileThePushedVersionIsTrusted() throws Exception {
    assertThat(best("maxParams=2500")).isEqualTo(b.id()); // the index is loaded
    WatchLeases.await(watch);
    try (Connection lock = dataSource.getConnection(); Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      // a lookup that read the version row now would wait for this transaction
      s.execute("LOCK TABLE model_catalog_version IN ACCESS EXCLUSIVE MODE");
      try {
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> r = http.send("GET", "/api/v1/models/best?space=" + space + "&maxParams=2500", null,
              Duration.ofSeconds(5)); // fails, rather than hangs, when it waits for the lock
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(json(r).get("id").asLong()).isEqualTo(b.id());
        }
      } finally {
        lock.rollback();
      }
    }
  }

  @Test
  void bestIsTheMostAccurateWithinTheBudgetTiesGoingToFewerFlops() throws Exception {
    assertThat(best("maxParams=2500")).isEqualTo(b.id());
    assertThat(best("maxParams=10000")).as("b and c tie at 70%: fewer FLOPs wins").isEqualTo(b.id());
    assertThat(best("maxFlops=4.5e6")).isEqualTo(b.id());
    assertThat(best("maxParams=1500")).isEqualTo(a.id());
    assertThat(best("maxParams=2000&maxFlops=4000000")).isEqualTo(b.id());
    assertThat(best("maxParams=1e4&maxFlops=5e6")).isEqualTo(b.id());

    JsonNode m = json(http.get("/api/v1/models/best?space=" + space + "&maxParams=2500"));
    assertThat(m.get("params").asLong()).isEqualTo(2000);
    assertThat(m.get("valTop1").asDouble()).isEqualTo(70.0);
    assertThat(m.get("valTop5").asDouble()).isEqualTo(90.0);
    assertThat(m.get("sha256").asText()).isEqualTo(b.artifactSha256());
    assertThat(m.get("sizeBytes").asLong()).isEqualTo(weightsB.length);
    assertThat(m.get("weightsUrl").asText()).isEqualTo("/api/v1/models/" + b.id() + "/weights");
    assertThat(m.at("/config/layer_num").asInt()).isEqualTo(3);
  }

  /**
   * Successful lookups are answered by {@link BestModelFastPath} ahead of Spring MVC (they carry a Content-Length;
   * Spring MVC streams its answer chunked): the same bytes as the controller's, which still answers everything else.
   */
  @Test
  void theLookupsFastPathAnswersWhatTheControllerWould() throws Exception {
    String url = "/api/v1/models/best?space=" + space + "&maxParams=2500";
    HttpResponse<String> fast = http.get(url);
    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(fast.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(fast.headers().firstValue("Content-Length")).contains(String.valueOf(
        fast.body().getBytes(StandardCharsets.UTF_8).length));
    // an Accept header naming another type goes to the controller, which answers JSON all the same
    HttpResponse<String> controller = http.get(url, "Accept", "application/json, application/xml;q=0.5");
    assertThat(controller.statusCode()).isEqualTo(200);
    assertThat(controller.headers().firstValue("Content-Length")).isEmpty();
    assertThat(fast.body()).isEqualTo(controller.body()).isEqualTo(http.get("/api/v1/models/" + b.id()).body());
    assertThat(http.head(url).statusCode()).isEqualTo(200);

    assertProblem(http.get(url + "&maxParams=3000"), 400, "maxParams"); // repeated: the controller's problem
    assertProblem(http.get(url + "&release=not-a-uuid"), 400, "release");
    assertThat(http.get(url, "Accept", "application/xml").statusCode()).isEqualTo(406);

    // a withdrawal reaches the very next lookup (the cached answer belongs to the index's old model object)
    models.withdraw(b.id(), "superseded");
    assertThat(best("maxParams=2500")).isEqualTo(a.id());
  }

  @Test
  void noFitIsA404SayingTheSmallestBudgetThatWould() throws Exception {
    JsonNode p = assertProblem(http.get("/api/v1/models/best?space=" + space + "&maxParams=999"), 404, null);
    assertThat(p.get("minimalMaxParams").asLong()).isEqualTo(1000);
    assertThat(p.get("detail").asText()).contains("maxParams=1000");

    p = assertProblem(http.get("/api/v1/models/best?space=" + space + "&maxFlops=1e6"), 404, null);
    assertThat(p.get("minimalMaxFlops").asDouble()).isEqualTo(4e6);

    p = assertProblem(http.get("/api/v1/models/best?space=" + space + "&maxParams=1500&maxFlops=4.5e6"), 404, null);
    assertThat(p.get("minimalMaxParams").asLong()).isEqualTo(2000);
    assertThat(p.get("minimalMaxFlops").asDouble()).isEqualTo(5e6);

    p = assertProblem(http.get("/api/v1/models/best?space=" + space + "&maxParams=10&maxFlops=10"), 404, null);
    assertThat(p.get("minimalMaxParams").asLong()).isEqualTo(1000);
    assertThat(p.get("minimalMaxFlops").asDouble()).isEqualTo(5e6);

    assertProblem(http.get("/api/v1/models/best?space=autoformer-base&maxParams=1e9"), 404, null);
    assertProblem(http.get("/api/v1/models/best?space=nope&maxParams=1e9"), 404, "space");
  }

  @Test
  void badBudgetsAre400sNamingTheParameter() throws Exception {
    String base = "/api/v1/models/best?space=" + space;
    assertProblem(http.get(base), 400, "maxParams");
    for (String bad : new String[] {"-1", "0", "0.0", "abc", "NaN", "Infinity", "1e999", "", "12abc", "0x10"}) {
      assertProblem(http.get(base + "&maxParams=" + bad), 400, "maxParams");
      assertProblem(http.get(base + "&maxFlops=" + bad), 400, "maxFlops");
    }
    assertProblem(http.get(base + "&maxParams=5000&maxFlops=-3"), 400, "maxFlops");
    assertProblem(http.get("/api/v1/models/best?maxParams=5000"), 400, "space");
  }

  @Test
  void listsAndGetsModelsWithTheirConfig() throws Exception {
    JsonNode page = json(http.get("/api/v1/models?space=" + space + "&maxParams=2500"));
    assertThat(page.get("totalItems").asLong()).isEqualTo(3);
    JsonNode cheap = json(http.get("/api/v1/models?space=" + space + "&maxFlops=4e6&size=1"));
    assertThat(cheap.get("totalItems").asLong()).isEqualTo(2);
    assertThat(cheap.get("items").size()).isEqualTo(1);
    assertProblem(http.get("/api/v1/models?maxParams=-5"), 400, "maxParams");

    JsonNode one = json(http.get("/api/v1/models/" + c.id()));
    assertThat(one.get("space").asText()).isEqualTo(space);
    assertThat(one.get("flops").asDouble()).isEqualTo(9e6);
    JsonNode config = json(http.get("/api/v1/models/" + c.id() + "/config"));
    assertThat(config.get("layer_num").asInt()).isEqualTo(3);
    assertProblem(http.get("/api/v1/models/999999999"), 404, "id");
    assertProblem(http.get("/api/v1/models/abc"), 400, "id");
  }

  @Test
  void weightsStreamWithStrongEtagConditionalAndRangeRequests() throws Exception {
    String url = "/api/v1/models/" + b.id() + "/weights";
    String etag = "\"" + b.artifactSha256() + "\"";

    HttpResponse<byte[]> full = http.getBytes(url);
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).isEqualTo(weightsB);
    assertThat(full.headers().firstValue("ETag")).contains(etag);
    assertThat(full.headers().firstValue("Content-Length")).contains(String.valueOf(weightsB.length));
    assertThat(full.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment").contains(".safetensors");
    assertThat(full.headers().firstValue("Accept-Ranges")).contains("bytes");

    HttpResponse<byte[]> head = http.head(url);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(weightsB.length));
    assertThat(head.headers().firstValue("ETag")).contains(etag);

    HttpResponse<byte[]> notModified = http.getBytes(url, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(http.getBytes(url, "If-None-Match", "\"" + a.artifactSha256() + "\"").statusCode()).isEqualTo(200);

    HttpResponse<byte[]> part = http.getBytes(url, "Range", "bytes=10-19");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(weightsB, 10, 20));
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/" + weightsB.length);
    assertThat(part.headers().firstValue("Content-Length")).contains("10");

    HttpResponse<byte[]> tail = http.getBytes(url, "Range", "bytes=-5");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(weightsB, weightsB.length - 5, weightsB.length));

    assertThat(http.getBytes(url, "Range", "bytes=99999-").statusCode()).isEqualTo(416);
    assertThat(http.getBytes("/api/v1/models/999999999/weights").statusCode()).isEqualTo(404);
  }

  private long best(String query) throws Exception {
    HttpResponse<String> r = http.get("/api/v1/models/best?space=" + space + "&" + query);
    assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
    return json(r).get("id").asLong();
  }
}
