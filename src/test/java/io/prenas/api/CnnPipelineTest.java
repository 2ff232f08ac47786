package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.engine.CnnModel;
import io.prenas.space.Architecture;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.storage.ArtifactStore;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.training.Recalibration;
import io.prenas.data.DataSplit;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A CNN space through the service (issue 16, point 5), over HTTP on the pico CNN space (grey images, 4 classes,
 * resolutions 12 and 16) and tiny synthetic IDX data: the space registers, a pipeline job selects (one gradient pass
 * per resolution on training images), trains one epoch at each sampled architecture's resolution, recalibrates
 * BatchNorm per architecture, evaluates and publishes; {@code models/best} answers by params and by FLOPs, and the
 * downloaded weights are a standalone model whose logits equal the supernet slice recalibrated on the same seeded
 * training batches (so it carries its own statistics). There is no CNN ONNX export: a 404 naming {@code format}.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.training.recalibration-batches=2", "prenas.training.recalibration-batch-size=16"})
class CnnPipelineTest {

  static final Path PICO = Path.of("src/test/resources/spaces/cnn-pico.yaml");

  @LocalServerPort
  int port;

  @Value("${prenas.data.dir}")
  Path dataRoot;

  @Autowired
  ArtifactStore artifacts;

  @Test
  void aPipelineOnACnnSpacePublishesRecalibratedModels() throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String space = "cnn-pico-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = http.postJson("/api/v1/spaces", Map.of("name", space, "yaml",
        Files.readString(PICO)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String dataPath = space + "-data";
    TrainingJobsTest.writeIdx(dataRoot.resolve(dataPath), "train", 64, 1);
    TrainingJobsTest.writeIdx(dataRoot.resolve(dataPath), "t10k", 16, 2);

    HttpResponse<String> submitted = http.postJson("/api/v1/jobs", Map.of("type", "pipeline", "space", space,
        "options", Map.of("dataPath", dataPath, "epochs", 1, "batchSize", 8, "seed", 3, "candidatesPerBin", 1)));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    JsonNode done = http.awaitEnd(submitted.headers().firstValue("Location").orElseThrow(), 240);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode metrics = done.get("metrics");
    assertThat(metrics.get("globalStep").asLong()).isEqualTo(8); // 64 / 8, one epoch
    assertThat(metrics.get("skippedSteps").asLong()).isZero();
    int preferred = metrics.get("preferred").asInt();
    assertThat(preferred).isGreaterThan(1);
    assertThat(metrics.get("published")).hasSize(preferred);
    assertThat(done.get("logLines").toString()).contains("recalibrated per architecture on 2 batches",
        "published model");

    JsonNode list = json(http.get("/api/v1/models?space=" + space + "&size=100"));
    assertThat(list.get("items")).hasSize(preferred);
    SearchSpace s = SpaceLoader.load(PICO);
    long maxParams = 0;
    double maxFlops = 0;
    for (JsonNode m : list.get("items")) {
      Architecture a = s.readArchitecture(m.get("config"));
      assertThat(m.get("params").asLong()).isEqualTo(s.params(a));
      assertThat(m.get("flops").asDouble()).isEqualTo(s.flops(a));
      maxParams = Math.max(maxParams, m.get("params").asLong());
      maxFlops = Math.max(maxFlops, m.get("flops").asDouble());
    }

    JsonNode byParams = json(http.get("/api/v1/models/best?space=" + space + "&maxParams=" + maxParams));
    assertThat(byParams.get("params").asLong()).isLessThanOrEqualTo(maxParams);
    JsonNode byFlops = json(http.get("/api/v1/models/best?space=" + space + "&maxFlops=" + (long) maxFlops));
    assertThat(byFlops.get("flops").asDouble()).isLessThanOrEqualTo(maxFlops);
    HttpResponse<String> none = http.get("/api/v1/models/best?space=" + space + "&maxFlops=1");
    assertThat(none.statusCode()).isEqualTo(404);

    HttpResponse<String> onnx = http.get(byParams.get("weightsUrl").asText() + "?format=onnx");
    assertThat(onnx.statusCode()).isEqualTo(404);
    assertThat(json(onnx).get("field").asText()).isEqualTo("format");

    // the downloaded model carries its own statistics: its logits equal the recalibrated supernet slice
    HttpResponse<byte[]> weights = http.getBytes(byFlops.get("weightsUrl").asText());
    assertThat(weights.statusCode()).isEqualTo(200);
    Path file = Files.createTempFile("cnn-pico-model", ".safetensors");
    try {
      Files.write(file, weights.body());
      assertThat(Safetensors.read(file).metadata()).containsEntry("bn_statistics", "recalibrated");
      Architecture arch = s.readArchitecture(byFlops.get("config"));
      int side = s.inputSize(arch);
      Tensor images = randomImages(5, side, 11);
      float[] standalone;
      try (CnnModel model = CnnModel.load(file, "cpu")) {
        standalone = model.logits(images).toFloats();
      }
      Map<String, Tensor> supernetWeights = Safetensors.read(
          artifacts.get(metrics.get("supernetSha256").asText()).file()).tensors();
      DataSplit split = DataSplit.open(dataRoot.resolve(dataPath), DataSplit.DEFAULT_VALIDATION_FRACTION, 3);
      List<Tensor> batches = new Recalibration(split::train, 2, 16, 3, 1).draw(s);
      float[] slice;
      try (Supernet net = ModelFamilies.port(s, SupernetFactory.class).fromTensors(s, supernetWeights, "cpu")) {
        Recalibration.apply(net, arch, batches);
        slice = net.logits(arch, images).toFloats();
      }
      assertThat(standalone).hasSize(5 * 4);
      for (int i = 0; i < slice.length; i++) {
        assertThat((double) standalone[i]).as("logit %d", i).isCloseTo(slice[i], within(1e-5));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Tensor randomImages(int n, int side, long seed) {
    Random rng = new Random(seed);
    float[] x = new float[n * side * side];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {n, 1, side, side}, x);
  }
}
