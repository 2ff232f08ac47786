package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCard;
import io.prenas.cnn.engine.CnnModel;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.onnx.proto.StringStringEntryProto;
import io.prenas.space.Architecture;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
import io.prenas.training.Recalibration;
import io.prenas.data.DataSplit;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A CNN space through the service (issue 16, point 5), over HTTP on the pico CNN space (grey images, 4 classes,
 * resolutions 12 and 16) and tiny synthetic IDX data: the space registers, a pipeline job selects (one gradient pass
 * per resolution on training images), trains one epoch at each sampled architecture's resolution, recalibrates
 * BatchNorm per architecture, evaluates and publishes (training with BigNAS in-place distillation, the
 * {@code distill} option: the largest preferred architecture teaches the sampled one); {@code models/best} answers by params and by FLOPs, and the
 * downloaded weights are a standalone model whose logits equal the supernet slice recalibrated on the same seeded
 * training batches (so it carries its own statistics). Every model is published with its ONNX file: the download
 * ({@code onnxUrl}, GET and HEAD) runs in ONNX Runtime with the logits, and so the top-1, of the safetensors model in
 * our engine, and carries the same card in its metadata.
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
        "options", Map.of("dataPath", dataPath, "epochs", 1, "batchSize", 8, "seed", 3, "candidatesPerBin", 1,
            "distill", true)));
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
        "published model", "in-place distillation on (temperature 1.0): teacher r");
    assertThat(done.get("options").get("distill").asBoolean()).isTrue();
    assertThat(metrics.get("distillationLoss").isNumber()).as(metrics.toString()).isTrue();

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

    for (JsonNode p : metrics.get("published")) {
      assertThat(p.get("onnxSha256").asText()).as("published with its ONNX file").hasSize(64);
    }

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
      assertTheOnnxFileRunsAsTheModel(byFlops, images, standalone);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The model's ONNX file, as a client gets it from {@code onnxUrl}: HEAD and GET agree (length, ETag = its SHA-256,
   * the row's {@code onnxSha256}), ONNX Runtime gives the logits of the safetensors model in our engine (so the same
   * top-1 per image), and its metadata is the standalone file's, card included.
   */
  private void assertTheOnnxFileRunsAsTheModel(JsonNode model, Tensor images, float[] ours) throws Exception {
    ApiTestSupport http = new ApiTestSupport(port);
    String url = model.get("onnxUrl").asText();
    assertThat(url).isEqualTo(model.get("weightsUrl").asText() + "?format=onnx");
    HttpResponse<byte[]> head = http.head(url);
    assertThat(head.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> onnx = http.getBytes(url);
    assertThat(onnx.statusCode()).isEqualTo(200);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx.body()));
    assertThat(onnx.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
    assertThat(head.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(onnx.body().length));
    assertThat(artifacts.get(sha256).kind()).isEqualTo(ArtifactKind.SUBNET_ONNX);

    Map<String, String> metadata = ModelProto.parseFrom(onnx.body()).getMetadataPropsList().stream()
        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertThat(metadata).containsEntry("format", "prenas-cnn-subnet/1").containsEntry("bn_statistics", "recalibrated")
        .containsEntry("onnx_graph", "prenas-cnn-onnx/1");
    assertThat(ApiTestSupport.JSON.readTree(metadata.get(ModelCard.METADATA_KEY))).isEqualTo(model.get("card"));

    int classes = ours.length / (int) images.shape()[0];
    try (OrtRunner ort = new OrtRunner(onnx.body())) {
      float[] theirs = ort.logits(images);
      assertThat(theirs).hasSameSizeAs(ours);
      for (int i = 0; i < ours.length; i++) {
        assertThat((double) theirs[i]).as("onnx logit %d", i).isCloseTo(ours[i], within(1e-5));
      }
      for (int n = 0; n < images.shape()[0]; n++) {
        assertThat(argmax(theirs, n, classes)).as("top-1 of image %d", n).isEqualTo(argmax(ours, n, classes));
      }
    }
  }

  private static int argmax(float[] logits, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (logits[row * classes + c] > logits[row * classes + best]) {
        best = c;
      }
    }
    return best;
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
