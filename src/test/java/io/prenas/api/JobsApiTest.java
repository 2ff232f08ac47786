package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static io.prenas.api.SpacesApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ResourceBins;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Jobs over HTTP: submission (refused at once, with the field, when it could not run; nothing written then),
 * idempotency, listing, cancellation, and a deterministic failure at run time that is not retried.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsApiTest {

  @LocalServerPort
  int port;

  @Value("${prenas.data.dir}")
  Path dataRoot;

  @Autowired
  JdbcTemplate jdbc;

  ApiTestSupport http;
  String space;

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    space = http.registerMicroSpace("micro-");
    Files.createDirectories(dataRoot);
  }

  @Test
  void jobsThatCouldNotRunAreRefusedAtTheDoorAndNothingIsWritten() throws Exception {
    // A job to refer to: a selection, cancelled before it runs.
    String cancelled = json(http.postJson("/api/v1/jobs", selection(Map.of("batchSize", 1)))).get("id").asText();
    assertThat(json(http.postJson("/api/v1/jobs/" + cancelled + "/cancel", "")).get("state").asText())
        .isEqualTo("CANCELLED");
    String data = space + "-idx";
    TrainingJobsTest.writeIdx(dataRoot.resolve(data), "train", 8, 1);
    Files.createDirectories(dataRoot.resolve(space + "-empty"));
    long jobRows = count("jobs");
    long queued = count("jobrunr_jobs");

    // The examples: a billion bins, and an evaluation of a job that does not exist.
    JsonNode bins = assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space",
        "autoformer-tiny", "options", Map.of("binMin", 0, "binMax", 1000, "binInterval", 1e-9))), 422,
        "options.binInterval");
    assertThat(bins.get("detail").asText()).contains("more than " + ResourceBins.MAX_BINS + " bins");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "evaluation", "options", Map.of("trainingJob",
        "00000000-0000-0000-0000-000000000000"))), 400, "space");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "evaluation", "space", space, "options",
        Map.of("trainingJob", "00000000-0000-0000-0000-000000000000"))), 404, "options.trainingJob");

    // Bins the selector could not use on this space.
    assertProblem(submit("selection", Map.of("binMin", 500, "binMax", 600)), 422, "options.binMin");
    assertProblem(submit("selection", Map.of("binMin", 0.1, "binMax", 0.2, "binInterval", 5)), 422,
        "options.binInterval");
    assertProblem(submit("pipeline", Map.of("dataPath", data, "binInterval", 1e-7)), 422, "options.binInterval");
    // Data: missing, not there, not a layout we read.
    assertProblem(submit("training", Map.of()), 400, "options.dataPath");
    JsonNode precision = assertProblem(submit("training", Map.of("dataPath", data, "precision", "fp16")), 400,
        "options.precision");
    assertThat(precision.get("detail").asText()).contains("fp32 or bf16");
    assertProblem(submit("selection", Map.of("precision", "fp16")), 400, "options.precision");
    assertProblem(submit("pipeline", Map.of()), 400, "options.dataPath");
    assertProblem(submit("training", Map.of("dataPath", space + "-nowhere")), 422, "options.dataPath");
    JsonNode empty = assertProblem(submit("selection", Map.of("dataPath", space + "-empty")), 422,
        "options.dataPath");
    assertThat(empty.get("detail").asText()).contains("neither IDX files");
    // Referenced jobs: none yet, unknown, of another space, of the wrong kind, ended without what is needed.
    assertProblem(submit("training", Map.of("dataPath", data)), 422, "options.selectionJob");
    assertProblem(submit("evaluation", Map.of()), 422, "options.trainingJob");
    assertProblem(submit("training", Map.of("dataPath", data, "selectionJob", UUID.randomUUID().toString())), 404,
        "options.selectionJob");
    JsonNode cancelledTable = assertProblem(submit("training", Map.of("dataPath", data, "selectionJob", cancelled)),
        422, "options.selectionJob");
    assertThat(cancelledTable.get("detail").asText()).contains("ended CANCELLED");
    assertProblem(submit("evaluation", Map.of("trainingJob", cancelled)), 422, "options.trainingJob");
    JsonNode foreign = assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space",
        "autoformer-tiny", "options", Map.of("dataPath", data, "selectionJob", cancelled))), 422,
        "options.selectionJob");
    assertThat(foreign.get("detail").asText()).contains("belongs to space '" + space + "'");

    assertThat(count("jobs")).as("no job row").isEqualTo(jobRows);
    assertThat(count("jobrunr_jobs")).as("no JobRunr job").isEqualTo(queued);
  }

  @Test
  void aCorruptImageFailsTheJobOnceAsDeterministic() throws Exception {
    String data = space + "-corrupt";
    for (String label : new String[] {"a", "b"}) {
      Files.createDirectories(dataRoot.resolve(data).resolve(label));
      for (int i = 0; i < 5; i++) {
        Files.writeString(dataRoot.resolve(data).resolve(label).resolve(i + ".png"), "not a png");
      }
    }
    HttpResponse<String> r = submit("selection", Map.of("dataPath", data, "batchSize", 2));
    assertThat(r.statusCode()).as("the layout is right; only reading shows the files are not images: %s", r.body())
        .isEqualTo(202);
    JsonNode done = http.awaitEnd(r.headers().firstValue("Location").orElseThrow(), 120);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(done.get("failureClass").asText()).isEqualTo("DETERMINISTIC");
    assertThat(done.get("attempts").asInt()).as("not retried").isEqualTo(1);
    // The loader skips unreadable images; when none of the batch could be read the reason says so and names one.
    assertThat(done.get("failureReason").asText()).contains("options.dataPath: none of the 2 images drawn",
        "could be read", "unreadable, first:", ".png");
    assertThat(done.get("logLines").toString()).contains("failed (deterministic)");
  }

  @Test
  void anIdempotencyKeyReturnsTheSameJob() throws Exception {
    String key = "key-" + UUID.randomUUID();
    Map<String, Object> body = selection(Map.of("batchSize", 1));
    HttpResponse<String> first = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);
    HttpResponse<String> again = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id")).isEqualTo(json(first).get("id"));
    assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));

    long jobRows = count("jobs");
    HttpResponse<String> different = http.postJson("/api/v1/jobs", selection(Map.of("batchSize", 2)),
        "Idempotency-Key", key);
    assertProblem(different, 409, "Idempotency-Key");
    assertThat(count("jobs")).isEqualTo(jobRows);

    HttpResponse<String> other = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key + "-2");
    assertThat(json(other).get("id")).isNotEqualTo(json(first).get("id"));
  }

  @Test
  void listsWithFiltersAndPaging() throws Exception {
    String id = json(http.postJson("/api/v1/jobs", selection(Map.of("batchSize", 1)))).get("id").asText();
    JsonNode page = json(http.get("/api/v1/jobs?type=selection&space=" + space + "&size=5"));
    assertThat(page.get("items").findValuesAsText("id")).contains(id);
    assertThat(page.get("items").findValuesAsText("type")).containsOnly("selection");
    assertThat(page.get("size").asInt()).isEqualTo(5);
    assertThat(page.get("totalItems").asLong()).isGreaterThanOrEqualTo(1);

    JsonNode none = json(http.get("/api/v1/jobs?state=SUCCEEDED&type=pipeline&space=" + space));
    assertThat(none.get("items").findValuesAsText("id")).doesNotContain(id);

    assertProblem(http.get("/api/v1/jobs?state=DONE"), 400, "state");
    assertProblem(http.get("/api/v1/jobs?type=search"), 400, "type");
    assertProblem(http.get("/api/v1/jobs?size=0"), 400, "size");
    assertProblem(http.get("/api/v1/jobs?size=101"), 400, "size");
    assertProblem(http.get("/api/v1/jobs?page=-1"), 400, "page");
    assertProblem(http.get("/api/v1/jobs?page=x"), 400, "page");
  }

  @Test
  void cancelsAQueuedJobAndRefusesToCancelAnEndedOne() throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", selection(Map.of("batchSize", 1)));
    String location = r.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> cancel = http.postJson(location + "/cancel", "");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(json(cancel).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(json(cancel).get("finishedAt").asText()).isNotBlank();
    assertProblem(http.postJson(location + "/cancel", ""), 409, "state");
    // The worker never runs it.
    Thread.sleep(6_000);
    assertThat(json(http.get(location)).get("attempts").asInt()).isZero();

    assertProblem(http.postJson("/api/v1/jobs/" + UUID.randomUUID() + "/cancel", ""), 404, "id");
  }

  @Test
  void badSubmissionsAreProblemsNamingTheField() throws Exception {
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "search", "space", "autoformer-tiny")), 400, "type");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("space", "autoformer-tiny")), 400, "type");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection")), 400, "space");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "nope")), 404, "space");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("epochs", 0))), 400, "options.epochs");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("epochs", "many"))), 400, "options.epochs");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("sampler", "random"))), 400, "options.sampler");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "autoformer-tiny",
        "options", Map.of("sampler", "uniform"))), 400, "options.sampler");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("dataPath", "../../etc"))), 400, "options.dataPath");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("momentum", 0.9))), 400, "options.momentum");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "autoformer-tiny",
        "options", Map.of("binMin", 5, "binMax", 4))), 400, "options.binMax");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "autoformer-tiny",
        "options", Map.of("distill", true))), 400, "options.distill");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "evaluation", "space", "autoformer-tiny",
        "options", Map.of("distill", false))), 400, "options.distill");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("distill", "maybe"))), 400, "options.distill");
    assertProblem(http.postJson("/api/v1/jobs", "[]"), 400, null);
    assertProblem(http.get("/api/v1/jobs/not-a-uuid"), 400, "id");
    assertProblem(http.get("/api/v1/jobs/" + UUID.randomUUID()), 404, "id");
  }

  @Test
  void distillIsAcceptedOnAPipelineAndRecordedWithItsOptions() throws Exception {
    String data = space + "-distill";
    TrainingJobsTest.writeIdx(dataRoot.resolve(data), "train", 8, 1);
    HttpResponse<String> r = submit("pipeline", Map.of("dataPath", data, "distill", true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(json(r).get("options").get("distill").asBoolean()).isTrue();
    HttpResponse<String> plain = submit("pipeline", Map.of("dataPath", data));
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
    assertThat(json(plain).get("options").get("distill").isBoolean()).as("the default is stored").isTrue();
    assertThat(json(plain).get("options").get("distill").asBoolean()).isFalse();
    for (HttpResponse<String> job : List.of(r, plain)) { // nothing to run them for
      http.postJson(job.headers().firstValue("Location").orElseThrow() + "/cancel", "");
    }
  }

  /** A selection job on this test's micro space: valid and cheap (data-free). */
  private Map<String, Object> selection(Map<String, Object> options) {
    return Map.of("type", "selection", "space", space, "options", options);
  }

  private HttpResponse<String> submit(String type, Map<String, Object> options) throws Exception {
    return http.postJson("/api/v1/jobs", Map.of("type", type, "space", space, "options", options));
  }

  private long count(String table) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
  }
}
