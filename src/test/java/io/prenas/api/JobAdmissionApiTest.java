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

/** A job whose memory need exceeds the worker's budget is refused at submission; nothing is queued. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobAdmissionApiTest {

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate db;

  @Test
  void aTrainingBatchBeyondTheMemoryBudgetIsRefusedAtOnce() throws Exception {
    int jobs = db.queryForObject("SELECT count(*) FROM jobs", Integer.class);
    int queued = db.queryForObject("SELECT count(*) FROM jobrunr_jobs", Integer.class);
    HttpResponse<String> r = new ApiTestSupport(port).postJson("/api/v1/jobs", Map.of("type", "training",
        "space", "autoformer-base", "options", Map.of("dataPath", "fashion-mnist", "batchSize", 65536)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode problem = ApiTestSupport.json(r);
    assertThat(problem.path("field").asText()).isEqualTo("options.batchSize");
    assertThat(problem.path("detail").asText()).contains("MiB of engine memory", "prenas.worker.memory-budget");
    assertThat(db.queryForObject("SELECT count(*) FROM jobs", Integer.class)).isEqualTo(jobs);
    assertThat(db.queryForObject("SELECT count(*) FROM jobrunr_jobs", Integer.class)).isEqualTo(queued);
  }
}
