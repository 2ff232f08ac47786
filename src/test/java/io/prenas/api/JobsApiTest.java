package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static io.prenas.api.SpacesApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.system.PrenasServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsApiTest {

  @LocalServerPort
  int port;

  ApiTestSupport http;

  @BeforeEach
  void setUp() {
    http = new ApiTestSupport(port);
  }

  @Test
  void aTrainingJobIsQueuedRunByTheWorkerAndFailsCleanlyWithoutData() throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-tiny",
        "options", Map.of("epochs", 2, "sampler", "uniform", "seed", 7)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String location = r.headers().firstValue("Location").orElseThrow();
    JsonNode job = json(r);
    assertThat(location).isEqualTo("/api/v1/jobs/" + job.get("id").asText());
    assertThat(job.get("type").asText()).isEqualTo("training");
    assertThat(job.get("state").asText()).isEqualTo("QUEUED");
    assertThat(job.at("/options/epochs").asInt()).isEqualTo(2);
    assertThat(job.at("/options/batchSize").asInt()).as("defaults are filled and recorded").isEqualTo(64);
    assertThat(job.at("/progress/done").asLong()).isZero();
    assertThat(job.get("createdAt").asText()).isNotBlank();

    JsonNode done = http.awaitEnd(location, 90);
    assertThat(done.get("state").asText()).isEqualTo("FAILED");
    assertThat(done.get("failureReason").asText()).startsWith("options.dataPath: a training job needs training data");
    assertThat(done.get("worker").asText()).contains("@");
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(done.get("startedAt").asText()).isNotBlank();
    assertThat(done.get("finishedAt").asText()).isNotBlank();
    assertThat(done.get("logLines").toString()).contains("needs training data");
  }

  @Test
  void anIdempotencyKeyReturnsTheSameJob() throws Exception {
    String key = "key-" + UUID.randomUUID();
    Map<String, Object> body = Map.of("type", "evaluation", "space", "autoformer-tiny",
        "options", Map.of("batchSize", 8));
    HttpResponse<String> first = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);
    HttpResponse<String> again = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id")).isEqualTo(json(first).get("id"));
    assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));

    HttpResponse<String> different = http.postJson("/api/v1/jobs", Map.of("type", "evaluation",
        "space", "autoformer-tiny", "options", Map.of("batchSize", 16)), "Idempotency-Key", key);
    assertProblem(different, 409, "Idempotency-Key");

    HttpResponse<String> other = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key + "-2");
    assertThat(json(other).get("id")).isNotEqualTo(json(first).get("id"));
  }

  @Test
  void listsWithFiltersAndPaging() throws Exception {
    String id = json(http.postJson("/api/v1/jobs", Map.of("type", "pipeline", "space", "autoformer-small")))
        .get("id").asText();
    JsonNode page = json(http.get("/api/v1/jobs?type=pipeline&space=autoformer-small&size=5"));
    assertThat(page.get("items").findValuesAsText("id")).contains(id);
    assertThat(page.get("items").findValuesAsText("type")).containsOnly("pipeline");
    assertThat(page.get("size").asInt()).isEqualTo(5);
    assertThat(page.get("totalItems").asLong()).isGreaterThanOrEqualTo(1);

    JsonNode none = json(http.get("/api/v1/jobs?state=SUCCEEDED&type=pipeline&space=autoformer-small"));
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
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", "training", "space", "autoformer-base"));
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
        "options", Map.of("learningRate", 1))), 400, "options.learningRate");
    assertProblem(http.postJson("/api/v1/jobs", Map.of("type", "selection", "space", "autoformer-tiny",
        "options", Map.of("binMin", 5, "binMax", 4))), 400, "options.binMax");
    assertProblem(http.postJson("/api/v1/jobs", "[]"), 400, null);
    assertProblem(http.get("/api/v1/jobs/not-a-uuid"), 400, "id");
    assertProblem(http.get("/api/v1/jobs/" + UUID.randomUUID()), 404, "id");
  }
}
