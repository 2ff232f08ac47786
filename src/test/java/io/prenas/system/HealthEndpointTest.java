package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired
  TestRestTemplate http;

  @Test
  void healthIsUp() {
    var response = http.getForEntity("/actuator/health", String.class);
    assertThat(response.getStatusCode().is2xxSuccessful()).isTrue();
    assertThat(response.getBody()).contains("\"status\":\"UP\"");
  }

  @Test
  void readinessIncludesTheDatabase() throws Exception {
    JsonNode readiness = up("/actuator/health/readiness");
    assertThat(components(readiness)).containsExactlyInAnyOrder("readinessState", "db");
    assertThat(readiness.at("/components/db/status").asText()).isEqualTo("UP");
  }

  @Test
  void livenessDoesNotDependOnTheDatabase() throws Exception {
    JsonNode liveness = up("/actuator/health/liveness");
    assertThat(components(liveness)).containsExactly("livenessState");
  }

  private JsonNode up(String path) throws Exception {
    var response = http.getForEntity(path, String.class);
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.getBody());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    return body;
  }

  private static List<String> components(JsonNode health) {
    List<String> names = new ArrayList<>();
    health.path("components").fieldNames().forEachRemaining(names::add);
    return names;
  }
}
