package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** A space beyond the registration limits gets a 422 naming the bound, and nothing is stored. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpaceLimitsApiTest {

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate db;

  @Test
  void aSupernetOfAbsurdDepthIsRefusedWith422NamingTheBound() throws Exception {
    String yaml = "SUPERNET: {MLP_RATIO: 4.0, NUM_HEADS: 4, EMBED_DIM: 256, DEPTH: 100000}\n"
        + "SEARCH_SPACE: {MLP_RATIO: [4.0], NUM_HEADS: [4], DEPTH: [100000], EMBED_DIM: [256]}\n";
    int before = db.queryForObject("SELECT count(*) FROM spaces", Integer.class);
    HttpResponse<String> r = new ApiTestSupport(port).postJson("/api/v1/spaces",
        Map.of("name", "too-deep", "yaml", yaml));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = ApiTestSupport.json(r);
    assertThat(problem.path("limit").asText()).isEqualTo("prenas.spaces.limits.max-depth");
    assertThat(problem.path("field").asText()).isEqualTo("yaml");
    assertThat(problem.path("detail").asText()).contains("100000", "64");
    assertThat(db.queryForObject("SELECT count(*) FROM spaces", Integer.class)).isEqualTo(before);
  }
}
