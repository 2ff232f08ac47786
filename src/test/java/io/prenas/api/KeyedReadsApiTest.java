package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code prenas.security.read-access=key} and {@code prenas.security.protect-metrics=true}. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.security.read-access=key", "prenas.security.protect-metrics=true"})
class KeyedReadsApiTest {

  @LocalServerPort
  int port;

  @Test
  void readsNeedAReadOrWriteKey() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    for (String path : new String[] {"/api/v1/spaces", "/api/v1/spaces/autoformer-tiny", "/api/v1/jobs",
        "/api/v1/models", "/api/v1/models/1/weights", "//api/v1/spaces", "/api/v1/../v1/spaces"}) {
      HttpResponse<String> none = http.withKey(null).get(path);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
      assertThat(ApiTestSupport.json(none).path("field").asText()).isEqualTo("Authorization");
      assertThat(http.withKey("wrong").get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(http.withKey(ApiTestSupport.READ_KEY).get(path).statusCode()).as(path).isNotIn(401, 403);
      assertThat(http.withKey(ApiTestSupport.WRITE_KEY).get(path).statusCode()).as(path).isNotIn(401, 403);
    }
    assertThat(http.withKey(null).head("/api/v1/models/1/weights").statusCode()).isEqualTo(401);
    assertThat(http.withKey(null).get("/api/v1/spaces", "Authorization", "Bearer " + ApiTestSupport.READ_KEY)
        .statusCode()).isEqualTo(200);
    // Writes still need the write scope.
    assertThat(http.withKey(ApiTestSupport.READ_KEY).postJson("/api/v1/jobs", "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void probesAndApiDocsStayOpenMetricsDoNot() throws Exception {
    ApiTestSupport anonymous = new ApiTestSupport(port).withKey(null);
    assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/v3/api-docs").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
    assertThat(new ApiTestSupport(port).withKey(ApiTestSupport.READ_KEY).get("/actuator/prometheus").statusCode())
        .isNotIn(401, 403);
  }
}
