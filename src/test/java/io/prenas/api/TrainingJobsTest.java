package io.prenas.api;

import static io.prenas.api.ApiTestSupport.JSON;
import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.prenas.job.TrainingJobHandler;
import io.prenas.job.TrainingJobRequest;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.training.Checkpoint;
import io.prenas.vit.engine.VitModel;
import io.prenas.vit.engine.VitSupernet;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitArchitectureJson;
import io.prenas.vit.space.VitSpace;
import java.io.DataOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Training, evaluation and pipeline jobs end to end over HTTP on the pico space (16x16 grey, 4 classes) and tiny
 * synthetic IDX data whose class is the brightest image quadrant: a pipeline publishes models whose standalone
 * weights give the supernet slice's logits; a cancelled training keeps its checkpoint; a training whose worker
 * "died" (its handler run again on the same row) resumes from that checkpoint to the same weights as a straight run.
 */
// One engine thread (prenas.engine.threads=1, set for every test in the test configuration, so that this test shares
// the other full-application tests' context): libtorch's multi-threaded CPU kernels are not bitwise reproducible from
// run to run, and this test compares a resumed training with an uninterrupted one bit for bit.
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainingJobsTest {

  static final Path PICO = Path.of("src/test/resources/spaces/pico.yaml");

  @LocalServerPort
  int port;

  @Value("${prenas.data.dir}")
  Path dataRoot;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  TrainingJobHandler handler;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  MeterRegistry meters;

  ApiTestSupport http;
  String space;
  String dataPath;

  @BeforeEach
  void setUp() throws Exception {
    http = new ApiTestSupport(port);
    space = "pico-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r = http.postJson("/api/v1/spaces", Map.of("name", space, "yaml", Files.readString(PICO)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    dataPath = space + "-data";
    writeIdx(dataRoot.resolve(dataPath), "train", 96, 1);
    writeIdx(dataRoot.resolve(dataPath), "t10k", 32, 2);
  }

  @Test
  void aPipelinePublishesModelsWhoseStandaloneLogitsEqualTheSupernetSlice() throws Exception {
    double stepsBefore = meters.get("prenas.training.steps").counter().count();
    double imagesBefore = meters.get("prenas.training.images").counter().count();
    JsonNode done = http.awaitEnd(submit("pipeline", Map.of("dataPath", dataPath, "epochs", 2, "batchSize", 8,
        "seed", 3)), 300);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("phase").asText()).isEqualTo("publish");
    assertThat(done.at("/progress/percent").asDouble()).isEqualTo(100.0);
    JsonNode metrics = done.get("metrics");
    assertThat(metrics.get("globalStep").asLong()).isEqualTo(24); // 96 / 8 * 2
    assertThat(metrics.get("totalSteps").asLong()).isEqualTo(24);
    // skipped steps in total and per architecture id (none here: a skipped step is a bug or bad data)
    assertThat(metrics.get("skippedSteps").asLong()).isZero();
    assertThat(metrics.get("skippedByArchitecture").isObject()).isTrue();
    assertThat(metrics.get("skippedByArchitecture")).isEmpty();
    assertThat(meters.get("prenas.training.steps").counter().count() - stepsBefore).isEqualTo(24);
    assertThat(meters.get("prenas.training.images").counter().count() - imagesBefore).isEqualTo(24 * 8);
    assertThat(meters.get("prenas.training.images.per.second").gauge().value()).as("no training runs now").isZero();
    assertThat(metrics.get("loss").isNumber()).isTrue();
    int preferred = metrics.get("preferred").asInt();
    assertThat(preferred).isPositive();
    assertThat(metrics.get("evaluation")).hasSize(preferred);
    assertThat(metrics.get("published")).hasSize(preferred);
    assertThat(done.get("checkpointSha256").asText()).hasSize(64);
    assertThat(done.get("logLines").toString()).contains("checkpoint stored as artifact", "published model");

    JsonNode list = json(http.get("/api/v1/models?space=" + space + "&size=100"));
    assertThat(list.get("items")).hasSize(preferred);
    for (JsonNode m : list.get("items")) {
      assertThat(m.get("job").asText()).isEqualTo(done.get("id").asText());
      assertThat(m.get("valTop1").asDouble()).isBetween(0.0, 100.0);
      assertThat(m.get("valTop5").asDouble()).isEqualTo(100.0); // 4 classes
    }

    HttpResponse<String> bestResponse = http.get("/api/v1/models/best?space=" + space + "&maxParams=100000000");
    assertThat(bestResponse.statusCode()).as(bestResponse.body()).isEqualTo(200);
    JsonNode best = json(bestResponse);
    double bestTop1 = 0;
    for (JsonNode m : list.get("items")) {
      bestTop1 = Math.max(bestTop1, m.get("valTop1").asDouble());
    }
    assertThat(best.get("valTop1").asDouble()).isEqualTo(bestTop1);
    assertPipelineCard(best.get("card"), done, SpaceLoader.load(PICO));

    HttpResponse<byte[]> weights = http.getBytes(best.get("weightsUrl").asText());
    assertThat(weights.statusCode()).isEqualTo(200);
    assertThat(weights.headers().firstValue("ETag").orElseThrow()).contains(best.get("sha256").asText());
    Path file = Files.createTempFile("pico-model", ".safetensors");
    try {
      Files.write(file, weights.body());
      VitArchitecture arch = VitArchitectureJson.readConfig(best.get("config"));
      SearchSpace s = SpaceLoader.load(PICO);
      Map<String, Tensor> supernetWeights = Safetensors.read(
          artifacts.get(metrics.get("supernetSha256").asText()).file()).tensors();
      Tensor images = randomImages(6, 11);
      float[] standalone;
      float[] slice;
      try (VitModel model = VitModel.load(file, "cpu")) {
        assertThat(model.parameterCount()).isEqualTo(best.get("params").asLong());
        standalone = model.logits(images).toFloats();
      }
      try (VitSupernet supernet = VitSupernet.fromTensors(VitSpace.of(s), supernetWeights, "cpu")) {
        slice = supernet.logits(arch, images).toFloats();
      }
      assertThat(standalone).hasSize(6 * 4);
      for (int i = 0; i < slice.length; i++) {
        assertThat((double) standalone[i]).as("logit %d", i).isCloseTo(slice[i], within(1e-6));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The card of a pipeline's model: its IDX data (numbered labels, train / t10k), its own three roles. */
  private void assertPipelineCard(JsonNode card, JsonNode job, SearchSpace s) throws Exception {
    String id = job.get("id").asText();
    assertThat(card.at("/preprocessing/input")).isEqualTo(JSON.readTree("[" + s.inChannels() + ", "
        + s.imageSize() + ", " + s.imageSize() + "]"));
    assertThat(card.at("/preprocessing/resize/rule").asText()).isEqualTo("stretch");
    assertThat(card.get("labels")).isEqualTo(JSON.readTree("[\"0\", \"1\", \"2\", \"3\"]"));
    assertThat(card.at("/dataset/location").asText()).isEqualTo(dataPath);
    assertThat(card.at("/dataset/format").asText()).isEqualTo("idx");
    assertThat(card.at("/dataset/images")).isEqualTo(JSON.readTree("{\"train\": 96, \"validation\": 32}"));
    assertThat(card.at("/dataset/validation").asText()).isEqualTo("the t10k files");
    assertThat(card.at("/dataset/fingerprintFiles").asInt()).isEqualTo(4);
    assertThat(card.at("/lineage/selectionJob").asText()).isEqualTo(id);
    assertThat(card.at("/lineage/trainingJob").asText()).isEqualTo(id);
    assertThat(card.at("/lineage/evaluationJob").asText()).isEqualTo(id);
    assertThat(card.at("/lineage/supernetSha256").asText()).isEqualTo(job.at("/metrics/supernetSha256").asText());
    assertThat(card.get("release").asText()).isEqualTo(id);
  }

  @Test
  void aCancelledTrainingKeepsItsCheckpointAndAResumedOneCountsNoStepTwice() throws Exception {
    JsonNode selection = http.awaitEnd(submit("selection", Map.of("batchSize", 8)), 300);
    assertThat(selection.get("state").asText()).as(selection.toString()).isEqualTo("SUCCEEDED");
    Map<String, Object> options = Map.of("dataPath", dataPath, "epochs", 20, "batchSize", 8, "seed", 5,
        "selectionJob", selection.get("id").asText());
    long total = 96 / 8 * 20;

    // Cancel as soon as the first training step is reported.
    String location = submit("training", options);
    JsonNode running = http.awaitJob(location, j -> j.get("state").asText().equals("CANCELLED")
        || (j.get("phase").asText().equals("training") && j.at("/progress/done").asLong() > 0), 180);
    HttpResponse<String> cancel = http.postJson(location + "/cancel", "");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    JsonNode cancelled = http.awaitEnd(location, 300);
    assertThat(cancelled.get("state").asText()).as(cancelled.toString()).isEqualTo("CANCELLED");
    long stoppedAt = cancelled.at("/metrics/globalStep").asLong();
    assertThat(stoppedAt).as("stopped mid-way").isPositive().isLessThan(total);
    assertThat(cancelled.at("/metrics/totalSteps").asLong()).isEqualTo(total);
    String checkpointSha = cancelled.get("checkpointSha256").asText();
    Checkpoint checkpoint = Checkpoint.read(artifacts.get(checkpointSha).file());
    assertThat(checkpoint.state().globalStep()).isEqualTo(stoppedAt);
    assertThat(running.at("/progress/total").asLong()).isEqualTo(total);

    // The worker "died" with the job RUNNING: a new worker runs the handler again on the same row.
    UUID id = UUID.fromString(cancelled.get("id").asText());
    jdbc.update("UPDATE jobs SET state = 'RUNNING', cancel_requested = FALSE, finished_at = NULL WHERE id = ?", id);
    handler.run(new TrainingJobRequest(id));
    JsonNode resumed = json(http.get(location));
    assertThat(resumed.get("state").asText()).as(resumed.toString()).isEqualTo("SUCCEEDED");
    assertThat(resumed.get("attempts").asInt()).isEqualTo(2);
    assertThat(resumed.at("/metrics/resumedFromStep").asLong()).isEqualTo(stoppedAt);
    assertThat(resumed.at("/metrics/stepsThisAttempt").asLong()).isEqualTo(total - stoppedAt);
    assertThat(resumed.at("/metrics/globalStep").asLong()).isEqualTo(total);
    assertThat(resumed.at("/progress/done").asLong()).isEqualTo(total);
    assertThat(resumed.get("logLines").toString()).contains("resuming from checkpoint " + checkpointSha);

    // Same weights as a training that was never interrupted.
    JsonNode straight = http.awaitEnd(submit("training", options), 300);
    assertThat(straight.get("state").asText()).as(straight.toString()).isEqualTo("SUCCEEDED");
    assertThat(straight.at("/metrics/resumedFromStep").asLong()).isZero();
    assertThat(resumed.at("/metrics/supernetSha256").asText())
        .isEqualTo(straight.at("/metrics/supernetSha256").asText());

    // An evaluation of the resumed supernet (its data and preferred set come from the training job).
    JsonNode eval = http.awaitEnd(submit("evaluation", Map.of("trainingJob", id.toString(), "batchSize", 16)), 300);
    assertThat(eval.get("state").asText()).as(eval.toString()).isEqualTo("SUCCEEDED");
    assertThat(eval.at("/metrics/evaluation")).hasSize(selection.at("/metrics/preferred").asInt());
    assertThat(eval.at("/metrics/evaluation/0/images").asLong()).isEqualTo(32);
  }

  private String submit(String type, Map<String, Object> options) throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", type, "space", space, "options", options));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static Tensor randomImages(int n, long seed) {
    Random rng = new Random(seed);
    float[] x = new float[n * 16 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {n, 1, 16, 16}, x);
  }

  /** IDX images (16x16 grey) whose label is the brightest quadrant. */
  static void writeIdx(Path dir, String prefix, int n, long seed) throws Exception {
    Files.createDirectories(dir);
    Random rng = new Random(seed);
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * 256];
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(4);
      labels[i] = (byte) label;
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int quadrant = (y / 8) * 2 + x / 8;
          pixels[i * 256 + y * 16 + x] = (byte) (quadrant == label ? 180 + rng.nextInt(60) : rng.nextInt(80));
        }
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
        + "-images-idx3-ubyte")))) {
      out.writeInt(0x803);
      out.writeInt(n);
      out.writeInt(16);
      out.writeInt(16);
      out.write(pixels);
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
        + "-labels-idx1-ubyte")))) {
      out.writeInt(0x801);
      out.writeInt(n);
      out.write(labels);
    }
  }
}
