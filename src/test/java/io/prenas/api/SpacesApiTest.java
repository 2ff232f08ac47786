package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.testing.SharedFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpacesApiTest {

  @LocalServerPort
  int port;

  @Autowired
  ArtifactStore artifacts;

  ApiTestSupport http;

  @BeforeEach
  void setUp() {
    http = new ApiTestSupport(port);
  }

  @Test
  void listsAndGetsBuiltInSpaces() throws Exception {
    HttpResponse<String> list = http.get("/api/v1/spaces");
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode spaces = json(list);
    assertThat(spaces.findValuesAsText("name")).contains("autoformer-tiny", "autoformer-small", "autoformer-base");

    JsonNode tiny = json(http.get("/api/v1/spaces/autoformer-tiny"));
    assertThat(tiny.get("builtIn").asBoolean()).isTrue();
    assertThat(tiny.at("/supernet/embedDim").asInt()).isEqualTo(256);
    assertThat(tiny.get("family").asText()).isEqualTo("vit");
    assertThat(tiny.at("/model/patchSize").asInt()).isEqualTo(16);
    assertThat(tiny.at("/summary/architectures").asLong()).isEqualTo(1_056_964_608L);
    assertThat(tiny.at("/choices/depths").toString()).isEqualTo("[12,13,14]");
    assertThat(tiny.get("supernetWeights").isNull()).isTrue();

    HttpResponse<String> missing = http.get("/api/v1/spaces/no-such-space");
    assertProblem(missing, 404, "space");
  }

  @Test
  void registersACustomSpaceFromJsonOrYaml() throws Exception {
    String name = "micro-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", MICRO_YAML));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/spaces/" + name);
    assertThat(json(created).get("builtIn").asBoolean()).isFalse();
    assertThat(json(created).at("/model/numClasses").asInt()).isEqualTo(10);
    assertThat(json(http.get("/api/v1/spaces")).findValuesAsText("name")).contains(name);
    assertThat(http.get("/api/v1/spaces/" + name).statusCode()).isEqualTo(200);

    assertProblem(http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", MICRO_YAML)), 409, "name");
    assertProblem(http.postJson("/api/v1/spaces", Map.of("name", "autoformer-tiny", "yaml", MICRO_YAML)), 409, "name");

    String yamlName = name + "-y";
    HttpResponse<String> fromYaml = http.post("/api/v1/spaces?name=" + yamlName, "text/yaml", MICRO_YAML);
    assertThat(fromYaml.statusCode()).isEqualTo(201);
    assertThat(json(fromYaml).get("name").asText()).isEqualTo(yamlName);
  }

  @Test
  void invalidSpacesAreProblemsNamingTheField() throws Exception {
    HttpResponse<String> badYaml = http.postJson("/api/v1/spaces",
        Map.of("name", "bad-" + UUID.randomUUID().toString().substring(0, 8),
            "yaml", MICRO_YAML.replace("EMBED_DIM: [96, 128]", "EMBED_DIM: [96, -128]")));
    JsonNode p = assertProblem(badYaml, 400, "yaml");
    assertThat(p.get("key").asText()).startsWith("SEARCH_SPACE.EMBED_DIM");

    assertProblem(http.postJson("/api/v1/spaces", Map.of("name", "../etc", "yaml", MICRO_YAML)), 400, "name");
    assertProblem(http.postJson("/api/v1/spaces", Map.of("name", "x", "yaml", "")), 400, "yaml");
    assertProblem(http.postJson("/api/v1/spaces", "{\"name\": \"x\", \"yaml\": 1, \"extra\": 2}"), 400, "extra");
    assertProblem(http.postJson("/api/v1/spaces", "{not json"), 400, "body");
    assertProblem(http.post("/api/v1/spaces", "text/plain", "hello"), 415, "Content-Type");
    assertProblem(http.post("/api/v1/spaces", "text/yaml", MICRO_YAML), 400, "name");
  }

  @Test
  void importsSupernetWeightsCheckedAgainstTheSpaceLayout() throws Exception {
    String name = "micro-sn-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", MICRO_YAML)).statusCode()).isEqualTo(201);
    byte[] init = Files.readAllBytes(SharedFiles.microA("init.safetensors"));

    HttpResponse<String> ok = http.postBytes("/api/v1/spaces/" + name + "/supernet", "application/octet-stream", init);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    String sha = json(ok).at("/supernetWeights/sha256").asText();
    assertThat(sha).hasSize(64);
    assertThat(json(http.get("/api/v1/spaces/" + name)).at("/supernetWeights/sha256").asText()).isEqualTo(sha);

    // The same file does not fit the tiny space: the first tensor at fault is named.
    JsonNode wrong = assertProblem(http.postBytes("/api/v1/spaces/autoformer-tiny/supernet",
        "application/octet-stream", init), 400, "file");
    assertThat(wrong.get("tensor").asText()).isNotBlank();
    assertThat(json(http.get("/api/v1/spaces/autoformer-tiny")).get("supernetWeights").isNull()).isTrue();

    assertProblem(http.postBytes("/api/v1/spaces/" + name + "/supernet", "application/octet-stream",
        new byte[] {1, 2, 3}), 400, "file");
    assertProblem(http.postBytes("/api/v1/spaces/nope/supernet", "application/octet-stream", init), 404, "space");
  }

  @Test
  void importsPyTorchCheckpointsAsSafetensors() throws Exception {
    String name = "micro-pth-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(http.postJson("/api/v1/spaces", Map.of("name", name, "yaml", MICRO_YAML)).statusCode()).isEqualTo(201);
    String upload = "/api/v1/spaces/" + name + "/supernet";
    // The zip training checkpoint, its legacy twin and the bare state dict hold the same weights: one artifact.
    String sha = null;
    for (String file : new String[] {"checkpoint.pth", "checkpoint-legacy.pth", "state_dict.pth"}) {
      HttpResponse<String> ok = http.postBytes(upload, "application/octet-stream",
          Files.readAllBytes(SharedFiles.microA("pth/" + file)));
      assertThat(ok.statusCode()).as(file + ": " + ok.body()).isEqualTo(200);
      String stored = json(ok).at("/supernetWeights/sha256").asText();
      assertThat(stored).as(file).isEqualTo(sha == null ? stored : sha);
      sha = stored;
    }
    assertThat(Safetensors.read(artifacts.get(sha).file()).tensors())
        .isEqualTo(Safetensors.read(SharedFiles.microA("init.safetensors")).tensors());

    byte[] checkpoint = Files.readAllBytes(SharedFiles.microA("pth/checkpoint-legacy.pth"));
    JsonNode truncated = assertProblem(http.postBytes(upload, "application/octet-stream",
        java.util.Arrays.copyOf(checkpoint, checkpoint.length / 2)), 400, "file");
    assertThat(truncated.get("detail").asText()).startsWith("the upload: truncated");
    // A tiny zip whose pickle calls posixpath.system: refused by name, the imported weights stay.
    JsonNode evil = assertProblem(http.postBytes(upload, "application/octet-stream", evilCheckpoint()), 400, "file");
    assertThat(evil.get("detail").asText()).contains("refused Python global 'posixpath.system'");
    assertThat(json(http.get("/api/v1/spaces/" + name)).at("/supernetWeights/sha256").asText()).isEqualTo(sha);
    // The right format for the wrong space: the layout check names the tensor.
    assertThat(assertProblem(http.postBytes("/api/v1/spaces/autoformer-tiny/supernet", "application/octet-stream",
        Files.readAllBytes(SharedFiles.microA("pth/state_dict.pth"))), 400, "file").get("tensor").asText())
        .isNotBlank();
  }

  static byte[] evilCheckpoint() throws java.io.IOException {
    byte[] pickle = "\u0080\u0002cposixpath\nsystem\nX\u0002\u0000\u0000\u0000id\u0085R."
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("evil/data.pkl"));
      zip.write(pickle);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  static JsonNode assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode p = json(r);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(p.path("field").asText()).as(r.body()).isEqualTo(field);
    }
    return p;
  }
}
