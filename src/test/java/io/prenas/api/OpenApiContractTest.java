package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code api-spec/openapi.yaml} is the contract: it must equal what springdoc serves (compared as YAML trees, without
 * the {@code servers} block, which names the test port). The served document is always written to
 * {@code target/openapi-served.yaml}; after a deliberate API change, copy it over {@code api-spec/openapi.yaml}.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

  static final Path CONTRACT = Path.of("api-spec/openapi.yaml");
  static final Path SERVED = Path.of("target/openapi-served.yaml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @LocalServerPort
  int port;

  @Test
  void servedDocumentEqualsTheCommittedContract() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    HttpResponse<String> served = http.get("/v3/api-docs.yaml");
    assertThat(served.statusCode()).isEqualTo(200);
    Files.createDirectories(SERVED.getParent());
    Files.writeString(SERVED, served.body());

    assertThat(Files.exists(CONTRACT)).as("missing " + CONTRACT + "; copy " + SERVED + " there").isTrue();
    JsonNode expected = normalise(YAML.readTree(Files.readString(CONTRACT)));
    JsonNode actual = normalise(YAML.readTree(served.body()));
    assertThat(actual).as("the served OpenAPI document differs from " + CONTRACT + " (see " + SERVED
        + "; copy it over the contract if the change is intended)").isEqualTo(expected);
  }

  @Test
  void swaggerUiIsServed() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    HttpResponse<String> ui = http.get("/swagger-ui/index.html");
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).containsIgnoringCase("swagger");
    assertThat(http.get("/swagger-ui.html").statusCode()).isIn(200, 302);
  }

  private static JsonNode normalise(JsonNode doc) {
    ObjectNode root = (ObjectNode) doc;
    root.remove("servers");
    JsonNode tags = root.get("tags");
    if (tags != null && tags.isArray()) { // the order of the tag list is not part of the contract
      List<JsonNode> sorted = new ArrayList<>();
      tags.forEach(sorted::add);
      sorted.sort(Comparator.comparing(t -> t.path("name").asText()));
      root.putArray("tags").addAll(sorted);
    }
    return root;
  }
}
