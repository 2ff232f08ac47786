package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.system.PrenasServer;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.SpaceFixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A selection job end to end over HTTP, on the micro-a parity fixture: register the space, import the reference's
 * initial supernet weights, submit a selection with the reference's bins and score, wait for the worker, and read a
 * preferred table equal to the one the reference wrote ({@code selection.json}).
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SelectionJobTest {

  @LocalServerPort
  int port;

  @Value("${prenas.data.dir}")
  Path dataDir;

  @Test
  void selectionJobWritesTheReferencePreferredTable() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String space = microAWithTheReferenceInit(http);
    String batchName = referenceBatchFor(space);

    HttpResponse<String> submitted = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", space,
        "options", Map.of("dataPath", batchName, "binMin", 0.375, "binMax", 1.125, "binInterval", 0.125,
            "candidatesPerBin", 1, "scoreMode", "reference")));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String location = submitted.headers().firstValue("Location").orElseThrow();
    String jobId = json(submitted).get("id").asText();

    JsonNode done = http.awaitEnd(location, 180);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("phase").asText()).isEqualTo("store_preferred");
    assertThat(done.at("/metrics/enumerated").asInt()).isEqualTo(82);
    assertThat(done.at("/progress/percent").asDouble()).isEqualTo(100.0);

    List<ArchitectureEntry> reference = ArchitectureJson.read(SharedFiles.microA("selection.json"),
        SpaceFixtures.VIT);
    JsonNode table = json(http.get("/api/v1/spaces/" + space + "/preferred"));
    ContractSchemas.assertValid("PreferredResponse", table);
    ContractSchemas.assertValid("SpaceResponse", json(http.get("/api/v1/spaces/" + space)));
    assertThat(table.get("job").asText()).isEqualTo(jobId);
    List<String> got = new ArrayList<>();
    for (JsonNode row : table.get("architectures")) {
      got.add(row.get("binKey").asText() + " " + row.get("archId").asText());
      assertThat(row.get("rank").asInt()).isEqualTo(1);
      assertThat(row.get("params").asLong()).isPositive();
    }
    List<String> want = reference.stream().map(e -> e.binKey() + " " + e.architecture().id()).toList();
    assertThat(got).containsExactlyElementsOf(want);

    JsonNode byJob = json(http.get("/api/v1/spaces/" + space + "/preferred?job=" + jobId));
    assertThat(byJob).isEqualTo(table);
    SpacesApiTest.assertProblem(http.get("/api/v1/spaces/" + space + "/preferred?job=" + UUID.randomUUID()),
        404, "job");
    SpacesApiTest.assertProblem(http.get("/api/v1/spaces/autoformer-base/preferred"), 404, "space");
  }

  /**
   * The job option {@code precision} reaches the worker's gradient pass: a bf16 selection of the same batch fills the
   * same bins, its stored options say bf16, and its scores are those of fp32 to bfloat16 rounding (not the same bits).
   */
  @Test
  void aBfloat16SelectionJobFillsTheSameBinsWithScoresCloseToFloat32() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String space = microAWithTheReferenceInit(http);
    String batchName = referenceBatchFor(space);

    List<Map<String, JsonNode>> tables = new ArrayList<>();
    for (String precision : List.of("fp32", "bf16")) {
      HttpResponse<String> submitted = http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", space,
          "options", Map.of("dataPath", batchName, "binMin", 0.375, "binMax", 1.125, "binInterval", 0.125,
              "precision", precision)));
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      JsonNode done = http.awaitEnd(submitted.headers().firstValue("Location").orElseThrow(), 180);
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(done.at("/options/precision").asText()).isEqualTo(precision);
      Map<String, JsonNode> byBin = new java.util.LinkedHashMap<>();
      for (JsonNode row : json(http.get("/api/v1/spaces/" + space + "/preferred?job=" + done.get("id").asText()))
          .get("architectures")) {
        byBin.put(row.get("binKey").asText(), row);
      }
      tables.add(byBin);
    }
    assertThat(tables.get(1).keySet()).containsExactlyElementsOf(tables.get(0).keySet());
    int samePicks = 0;
    for (String bin : tables.get(0).keySet()) {
      JsonNode fp32 = tables.get(0).get(bin);
      JsonNode bf16 = tables.get(1).get(bin);
      if (fp32.get("archId").equals(bf16.get("archId"))) {
        samePicks++;
        double score = fp32.get("score").asDouble();
        assertThat(bf16.get("score").asDouble()).as("bin " + bin).isCloseTo(score, org.assertj.core.data.Offset
            .offset(0.01 * score)).isNotEqualTo(score);
      }
    }
    assertThat(samePicks).as("bins where both precisions pick the same architecture").isPositive();
  }

  @Test
  void aSelectionOnAnImageFolderScoresABatchOfItsTrainingImagesTheSameWayEachTime() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String space = "pico-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(http.postJson("/api/v1/spaces", Map.of("name", space, "yaml",
        Files.readString(TrainingJobsTest.PICO))).statusCode()).isEqualTo(201);
    TrainingJobsTest.writeIdx(dataDir.resolve(space), "train", 40, 1);
    TrainingJobsTest.writeIdx(dataDir.resolve(space), "t10k", 8, 2);
    Map<String, Object> request = Map.of("type", "selection", "space", space,
        "options", Map.of("dataPath", space, "batchSize", 12, "seed", 4));

    List<JsonNode> tables = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      HttpResponse<String> submitted = http.postJson("/api/v1/jobs", request);
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      JsonNode done = http.awaitEnd(submitted.headers().firstValue("Location").orElseThrow(), 180);
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(done.get("logLines").toString()).contains("gradient batch: 12 training images of");
      JsonNode table = json(http.get("/api/v1/spaces/" + space + "/preferred?job=" + done.get("id").asText()));
      assertThat(table.get("architectures")).isNotEmpty();
      tables.add(table.get("architectures"));
    }
    assertThat(tables.get(1)).as("a re-run on the same data selects the same table").isEqualTo(tables.get(0));
  }

  /** Registers a fresh micro-a space and imports the reference's initial supernet weights; returns its name. */
  private static String microAWithTheReferenceInit(ApiTestSupport http) throws Exception {
    String space = "micro-a-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(http.postJson("/api/v1/spaces", Map.of("name", space, "yaml", ApiTestSupport.MICRO_YAML))
        .statusCode()).isEqualTo(201);
    HttpResponse<String> imported = http.postBytes("/api/v1/spaces/" + space + "/supernet",
        "application/octet-stream", Files.readAllBytes(SharedFiles.microA("init.safetensors")));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    return space;
  }

  /** Copies the reference's gradient batch into the data directory; returns its path there. */
  private String referenceBatchFor(String space) throws Exception {
    Files.createDirectories(dataDir);
    String batchName = space + "-batch.safetensors";
    Files.copy(SharedFiles.microA("batch.safetensors"), dataDir.resolve(batchName),
        StandardCopyOption.REPLACE_EXISTING);
    return batchName;
  }
}
