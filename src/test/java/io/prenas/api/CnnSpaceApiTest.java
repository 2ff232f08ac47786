package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import io.prenas.testing.SharedFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * CNN spaces over HTTP: a CNN space registers (its YAML errors name the key), its supernet weights upload (running
 * statistics included) or are refused naming the tensor at fault, and a data-free selection job on the imported
 * weights (one gradient pass per resolution) stores a preferred table in params bins.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CnnSpaceApiTest {

  @LocalServerPort
  int port;

  @Test
  void cnnSpacesRegisterTheirSupernetUploadsAndSelectFromTheImportedWeights() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String yaml = Files.readString(SharedFiles.resolve("fixtures/cnn-micro-a/space.yaml"));
    String name = "cnn-micro-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", yaml));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> bignas = http.get("/api/v1/spaces/bignas-mbv2");
    assertThat(bignas.statusCode()).isEqualTo(200);
    JsonNode space = json(bignas);
    ContractSchemas.assertValid("SpaceResponse", space);
    assertThat(space.get("family").asText()).isEqualTo("cnn");
    assertThat(space.get("supernet").isNull()).as("no ViT section on a CNN space").isTrue();
    assertThat(space.get("choices").isNull()).isTrue();
    assertThat(space.at("/model/patchSize").isNull()).isTrue();
    assertThat(space.at("/model/imageSize").asInt()).isEqualTo(320);
    assertThat(space.at("/summary/architectures").asLong()).isEqualTo(2_380_647_628_800L);

    HttpResponse<String> invalid = http.postJson("/api/v1/spaces", Map.of("name", name + "-bad",
        "yaml", yaml.replace("KERNEL: [3, 5]", "KERNEL: [3, 4]")));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid).get("key").asText()).isEqualTo("SEARCH_SPACE.STAGES[1].KERNEL[1]");

    HttpResponse<String> weights = http.postBytes("/api/v1/spaces/" + name + "/supernet", "application/octet-stream",
        Files.readAllBytes(SharedFiles.resolve("fixtures/cnn-micro-a/init.safetensors")));
    assertThat(weights.statusCode()).as(weights.body()).isEqualTo(200);
    Map<String, Tensor> noStatistic = new LinkedHashMap<>(
        Safetensors.read(SharedFiles.resolve("fixtures/cnn-micro-a/init.safetensors")).tensors());
    noStatistic.remove("stages.2.layers.1.expand.bn.running_var");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Safetensors.writeTo(bytes, noStatistic, Map.of());
    HttpResponse<String> missing = http.postBytes("/api/v1/spaces/" + name + "/supernet",
        "application/octet-stream", bytes.toByteArray());
    assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
    assertThat(json(missing).get("detail").asText()).contains("stages.2.layers.1.expand.bn.running_var");

    // the CNN forward computes in fp32 only: bf16 is refused at the door, naming the option
    HttpResponse<String> bf16 = http.postJson("/api/v1/jobs", Map.of("type", "training", "space", name,
        "options", Map.of("precision", "bf16")));
    assertThat(bf16.statusCode()).as(bf16.body()).isEqualTo(422);
    assertThat(json(bf16).get("detail").asText()).contains("fp32 only");
    assertThat(bf16.body()).contains("options.precision");
    HttpResponse<String> bf16Selection = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", name,
        "options", Map.of("precision", "bf16")));
    assertThat(bf16Selection.statusCode()).as(bf16Selection.body()).isEqualTo(422);
    assertThat(bf16Selection.body()).contains("options.precision");

    HttpResponse<String> submitted = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", name,
        "options", Map.of("binMin", 0.01, "binMax", 0.2, "binInterval", 0.05, "batchSize", 2)));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    JsonNode done = http.awaitEnd(submitted.headers().firstValue("Location").orElseThrow(), 120);
    // data-free on the imported weights: one gradient pass per resolution (32 and 40), then the exact top-N per bin
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.at("/metrics/enumerated").asLong()).isEqualTo(10_752); // every architecture, counted exactly
    JsonNode table = json(http.get("/api/v1/spaces/" + name + "/preferred"));
    assertThat(table.get("architectures")).isNotEmpty();
    for (JsonNode row : table.get("architectures")) {
      assertThat(row.get("params").asDouble()).isLessThan(row.get("binUpper").asDouble() * 1e6)
          .isGreaterThanOrEqualTo(row.get("binLower").asDouble() * 1e6);
    }
  }
}
