package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.storage.DatasetProperties;
import io.prenas.system.PrenasServer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
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

  @Autowired
  DatasetProperties datasets;

  /** A one-image ImageFolder in the data directory, so that only the memory need can refuse the job. */
  private String imageFolder() throws Exception {
    Path dir = datasets.dir().resolve("admission-images").resolve("a");
    Files.createDirectories(dir);
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("0.png").toFile());
    return "admission-images";
  }

  @Test
  void aPipelineBatchBeyondTheMemoryBudgetIsRefusedAtOnce() throws Exception {
    int jobs = db.queryForObject("SELECT count(*) FROM jobs", Integer.class);
    int queued = db.queryForObject("SELECT count(*) FROM jobrunr_jobs", Integer.class);
    HttpResponse<String> r = new ApiTestSupport(port).postJson("/api/v1/jobs", Map.of("type", "pipeline",
        "space", "autoformer-base", "options", Map.of("dataPath", imageFolder(), "batchSize", 65536)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode problem = ApiTestSupport.json(r);
    assertThat(problem.path("field").asText()).isEqualTo("options.batchSize");
    assertThat(problem.path("detail").asText()).contains("MiB of engine memory", "prenas.worker.memory-budget");
    assertThat(db.queryForObject("SELECT count(*) FROM jobs", Integer.class)).isEqualTo(jobs);
    assertThat(db.queryForObject("SELECT count(*) FROM jobrunr_jobs", Integer.class)).isEqualTo(queued);
  }
}
