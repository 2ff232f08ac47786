package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The serving port under an API context path ({@code server.servlet.context-path}): it answers the lookup and whole
 * downloads under that path itself, as the API port's fast paths do, and leaves everything else, the same paths
 * without the context path included, to the API port.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.servlet.context-path=/prenas")
class ServingPortContextPathTest {

  private static final String CONTEXT = "/prenas";

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
  PublishedModel model;
  byte[] weights;

  @BeforeEach
  void setUp() throws Exception {
    api = new ApiTestSupport(port);
    fast = new ApiTestSupport(serving.port());
    space = "context-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(space, MICRO_YAML);
    weights = ("weights " + space + " ").repeat(10_000).getBytes(StandardCharsets.UTF_8);
    model = new ServedModels(artifacts, models).publish(space, 1_000, 2e6, 60.0, weights);
  }

  @Test
  void lookupsUnderTheContextPathAreAnsweredOnTheServingPort() throws Exception {
    String best = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    HttpResponse<String> expected = api.get(CONTEXT + best);
    assertThat(expected.statusCode()).isEqualTo(200);
    double before = timer(BestModelFastPath.PATH).settledCount();
    HttpResponse<String> actual = fast.get(CONTEXT + best);
    assertThat(actual.statusCode()).isEqualTo(200);
    assertThat(actual.body()).isEqualTo(expected.body());
    assertThat(ApiTestSupport.json(actual).get("id").asLong()).isEqualTo(model.id());
    timer(BestModelFastPath.PATH).awaitCount(before + 1); // answered on the serving port itself

    // without the context path: what the API port makes of it (not found), not the serving port's own answer
    HttpResponse<String> outside = fast.get(best);
    assertThat(outside.statusCode()).isEqualTo(api.get(best).statusCode()).isEqualTo(404);
    assertThat(timer(BestModelFastPath.PATH).count()).isEqualTo(before + 1);
    // other reads under the context path go to the API port
    assertThat(fast.get(CONTEXT + "/api/v1/spaces/" + space).body())
        .isEqualTo(api.get(CONTEXT + "/api/v1/spaces/" + space).body());
  }

  @Test
  void wholeDownloadsUnderTheContextPathAreSentByTheServingPort() throws Exception {
    String path = CONTEXT + "/api/v1/models/" + model.id() + "/weights";
    double before = timer(WeightsFastPath.PATTERN).settledCount();
    assertThat(fast.getBytes(path).body()).as("the first one, from the API port").isEqualTo(weights);
    HttpResponse<byte[]> again = fast.getBytes(path);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(weights);
    timer(WeightsFastPath.PATTERN).awaitCount(before + 1); // the file is remembered: sent by the serving port
    assertThat(again.headers().firstValue("etag")).isEqualTo(api.getBytes(path).headers().firstValue("etag"));

    String outside = "/api/v1/models/" + model.id() + "/weights";
    assertThat(fast.getBytes(outside).statusCode()).isEqualTo(api.getBytes(outside).statusCode()).isEqualTo(404);
    assertThat(timer(WeightsFastPath.PATTERN).count()).isEqualTo(before + 1);
  }

  private ServingTimer timer(String uri) {
    return new ServingTimer(meters, uri);
  }
}
