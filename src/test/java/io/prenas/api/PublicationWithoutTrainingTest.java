package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.examples.UseAModel;
import io.prenas.space.SpaceLoader;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.engine.VitModel;
import io.prenas.vit.engine.VitSupernet;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitArchitectureJson;
import io.prenas.vit.space.VitSpace;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13 end to end over HTTP, the way a user serves the paper's released models: register micro-a's space, import
 * the reference's PyTorch training checkpoint ({@code checkpoint.pth}) and the reference's preferred table
 * ({@code selection.json}), evaluate the imported supernet on a small ImageFolder and publish; {@code models/best}
 * answers, and the downloaded standalone model gives the logits of the reference weights' supernet slice.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PublicationWithoutTrainingTest {

  static final int IMAGE_SIZE = 64;

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
    space = http.registerMicroSpace("micro-a-");
  }

  @Test
  void theReferencesCheckpointAndPreferredTablePublishModelsWithoutTraining() throws Exception {
    String dataPath = space + "-val";
    writeImageFolder(dataRoot.resolve(dataPath), 3, 21);
    Map<String, Object> publish = Map.of("supernet", "imported", "dataPath", dataPath, "batchSize", 4);
    assertProblem(submit(publish), 422, "options.supernet");

    HttpResponse<String> imported = http.postBytes("/api/v1/spaces/" + space + "/supernet",
        "application/octet-stream", Files.readAllBytes(SharedFiles.microA("pth/checkpoint.pth")));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    String supernetSha = json(imported).at("/supernetWeights/sha256").asText();
    assertProblem(submit(publish), 422, "options.selectionJob");

    HttpResponse<String> table = http.post("/api/v1/spaces/" + space + "/preferred", "application/json",
        Files.readString(SharedFiles.microA("selection.json")));
    assertThat(table.statusCode()).as(table.body()).isEqualTo(201);
    String importJob = json(table).get("job").asText();
    assertThat(table.headers().firstValue("Location")).hasValue("/api/v1/spaces/" + space + "/preferred?job="
        + importJob);
    assertThat(json(table).get("architectures")).hasSize(5);
    assertThat(json(table).at("/architectures/3/params").asLong()).isEqualTo(860_170L);
    assertThat(json(table).at("/architectures/3/binKey").asText()).isEqualTo("0.875");
    JsonNode importRow = json(http.get("/api/v1/jobs/" + importJob));
    assertThat(importRow.get("type").asText()).isEqualTo("selection");
    assertThat(importRow.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(importRow.get("options")).isEqualTo(ApiTestSupport.JSON.readTree("{}"));
    assertThat(importRow.get("source").asText()).isEqualTo("import");
    ContractSchemas.assertValid("JobResponse", importRow);
    assertThat(importRow.at("/metrics/preferred").asInt()).isEqualTo(5);
    assertThat(json(http.get("/api/v1/spaces/" + space + "/preferred?job=" + importJob)))
        .isEqualTo(json(table));
    assertProblem(submit(Map.of("supernet", "imported", "dataPath", dataPath, "selectionJob",
        UUID.randomUUID().toString())), 404, "options.selectionJob");

    HttpResponse<String> submitted = submit(Map.of("supernet", "imported", "selectionJob", importJob,
        "dataPath", dataPath, "batchSize", 4));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    assertThat(json(submitted).at("/options/publish").asBoolean()).as("publishing is the default").isTrue();
    JsonNode done = http.awaitEnd(submitted.headers().firstValue("Location").orElseThrow(), 300);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode metrics = done.get("metrics");
    assertThat(metrics.get("selectionJob").asText()).isEqualTo(importJob);
    assertThat(metrics.get("supernetSha256").asText()).isEqualTo(supernetSha);
    assertThat(metrics.has("trainingJob")).isFalse();
    assertThat(metrics.get("evaluation")).hasSize(5);
    // A plain ImageFolder is evaluated whole: the imported weights were trained on none of its images.
    assertThat(metrics.at("/evaluation/0/images").asLong()).isEqualTo(6);
    assertThat(metrics.get("published")).hasSize(5);
    assertThat(metrics.at("/published/0/onnxSha256").asText()).as("published with its ONNX file").hasSize(64);

    HttpResponse<String> bestResponse = http.get("/api/v1/models/best?space=" + space + "&maxParams=100000000");
    assertThat(bestResponse.statusCode()).as(bestResponse.body()).isEqualTo(200);
    JsonNode best = json(bestResponse);
    ContractSchemas.assertValid("ModelResponse", best);
    assertThat(best.get("job").asText()).isEqualTo(done.get("id").asText());
    assertStandaloneLogitsEqualTheSlice(best);
    assertTheCardSaysWhatTheEvaluationDid(best, done.get("id").asText(), importJob, supernetSha, dataPath);
    assertUseAModelPrintsTheModelsTopLabels(best, dataRoot.resolve(dataPath).resolve("dog").resolve("1.png"));
  }

  /**
   * README's "Use a model" program, run against this server: it picks the same model, reads its ONNX file and card,
   * and prints the labels by probability as our own engine computes them on the standalone safetensors model (the
   * image is at the model's size, so the card's preprocessing is the scaling and normalisation alone).
   */
  private void assertUseAModelPrintsTheModelsTopLabels(JsonNode best, Path image) throws Exception {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    UseAModel.run("http://localhost:" + port, space, 100_000_000L, image,
        new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    String[] lines = printed.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");

    BufferedImage rgb = ImageIO.read(image.toFile());
    float[] mean = io.prenas.data.TransformSpec.IMAGENET_MEAN;
    float[] std = io.prenas.data.TransformSpec.IMAGENET_STD;
    float[] x = new float[3 * IMAGE_SIZE * IMAGE_SIZE];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < IMAGE_SIZE; y++) {
        for (int px = 0; px < IMAGE_SIZE; px++) {
          int v = (rgb.getRGB(px, y) >> (16 - 8 * c)) & 0xff;
          x[(c * IMAGE_SIZE + y) * IMAGE_SIZE + px] = (v / 255f - mean[c]) / std[c];
        }
      }
    }
    Path file = Files.createTempFile("micro-a-model", ".safetensors");
    float[] logits;
    try {
      Files.write(file, http.getBytes(best.get("weightsUrl").asText()).body());
      try (VitModel model = VitModel.load(file, "cpu")) {
        logits = model.logits(Tensor.ofFloats(new long[] {1, 3, IMAGE_SIZE, IMAGE_SIZE}, x)).toFloats();
      }
    } finally {
      Files.deleteIfExists(file);
    }
    // the card's labels name the first two outputs (the reference's micro supernet has ten, the data two classes):
    // the program prints an output without a name as #<index>
    java.util.List<String> labels = new java.util.ArrayList<>();
    best.at("/card/labels").forEach(l -> labels.add(l.asText()));
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    Integer[] order = java.util.stream.IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
    assertThat(lines).hasSize(5);
    for (int k = 0; k < lines.length; k++) {
      String[] cols = lines[k].split("\t");
      assertThat(cols[0]).as(printed.toString())
          .isEqualTo(order[k] < labels.size() ? labels.get(order[k]) : "#" + order[k]);
      assertThat(Double.parseDouble(cols[1])).isCloseTo(Math.exp(logits[order[k]] - max) / sum, within(1e-5));
    }
  }

  /**
   * The card of an imported supernet's model: the evaluation's own transform for 64 x 64 RGB input (a bilinear
   * stretch: below 224 the reference's resize-and-crop is not used), the ImageFolder's class names, every image
   * evaluated, the fingerprint of its six files, the lineage of the job; the same card in the weights file.
   */
  private void assertTheCardSaysWhatTheEvaluationDid(JsonNode best, String job, String importJob, String supernetSha,
      String dataPath) throws Exception {
    JsonNode card = best.get("card");
    assertThat(card.at("/preprocessing/input")).isEqualTo(ApiTestSupport.JSON.readTree("[3, 64, 64]"));
    assertThat(card.at("/preprocessing/channelOrder").asText()).isEqualTo("RGB");
    assertThat(card.at("/preprocessing/resize")).isEqualTo(ApiTestSupport.JSON.readTree(
        "{\"rule\": \"stretch\", \"size\": 64}"));
    assertThat(card.at("/preprocessing/crop").isNull()).isTrue();
    assertThat(card.at("/preprocessing/interpolation").asText()).isEqualTo("bilinear");
    assertThat(card.at("/preprocessing/mean")).isEqualTo(ApiTestSupport.JSON.readTree("[0.485, 0.456, 0.406]"));
    assertThat(card.at("/preprocessing/std")).isEqualTo(ApiTestSupport.JSON.readTree("[0.229, 0.224, 0.225]"));
    assertThat(card.at("/preprocessing/valueRange")).isEqualTo(ApiTestSupport.JSON.readTree("[0.0, 1.0]"));
    assertThat(card.get("labels")).isEqualTo(ApiTestSupport.JSON.readTree("[\"cat\", \"dog\"]"));
    assertThat(card.at("/dataset/location").asText()).isEqualTo(dataPath);
    assertThat(card.at("/dataset/format").asText()).isEqualTo("image-folder");
    assertThat(card.at("/dataset/images")).isEqualTo(ApiTestSupport.JSON.readTree("{\"validation\": 6}"));
    assertThat(card.at("/dataset/fingerprintFiles").asInt()).isEqualTo(6);
    assertThat(card.at("/dataset/fingerprint").asText()).isEqualTo(fingerprint(dataRoot.resolve(dataPath)));
    assertThat(card.at("/lineage/selectionJob").asText()).isEqualTo(importJob);
    assertThat(card.at("/lineage/trainingJob").isNull()).isTrue();
    assertThat(card.at("/lineage/evaluationJob").asText()).isEqualTo(job);
    assertThat(card.at("/lineage/supernetSha256").asText()).isEqualTo(supernetSha);
    assertThat(card.get("release").asText()).isEqualTo(job);
    assertThat(best.get("release").asText()).isEqualTo(job);
    assertThat(json(http.get("/api/v1/models/" + best.get("id").asLong())).get("card")).isEqualTo(card);

    JsonNode releases = json(http.get("/api/v1/spaces/" + space + "/releases"));
    assertThat(releases).hasSize(1);
    assertThat(releases.get(0).get("job").asText()).isEqualTo(job);
    assertThat(releases.get(0).get("models").asInt()).isEqualTo(5);
    assertThat(releases.get(0).get("datasetFingerprint").asText()).isEqualTo(card.at("/dataset/fingerprint").asText());

    HttpResponse<byte[]> weights = http.getBytes(best.get("weightsUrl").asText());
    Map<String, String> metadata = Safetensors.parse("download",
        java.nio.ByteBuffer.wrap(weights.body())).metadata();
    assertThat(ApiTestSupport.JSON.readTree(metadata.get("prenas.model_card"))).isEqualTo(card);
    assertThat(metadata).as("the export's own metadata is kept").containsKey("format");
  }

  /** The card's fingerprint definition, computed here independently: sorted "<relative>\t<size>\n", SHA-256. */
  private static String fingerprint(Path root) throws Exception {
    java.util.List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        lines.add(root.relativize(f).toString().replace('\\', '/') + "\t" + Files.size(f) + "\n");
      }
    }
    java.util.Collections.sort(lines);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    lines.forEach(l -> sha.update(l.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void aRefusedPreferredFileStoresNothingAndNamesTheEntry() throws Exception {
    ObjectNode file = (ObjectNode) ApiTestSupport.JSON.readTree(SharedFiles.microA("selection.json").toFile());
    ((ObjectNode) file.get("0.875").get(0)).put("num_params", 0.9);
    long jobsBefore = count("jobs");
    long rowsBefore = count("preferred_architectures");

    HttpResponse<String> wrong = http.postJson("/api/v1/spaces/" + space + "/preferred", file.toString());
    assertProblem(wrong, 400, "body");
    assertThat(json(wrong).get("pointer").asText()).isEqualTo("/0.875/0/num_params");
    assertThat(json(wrong).get("detail").asText()).startsWith("bin \"0.875\" entry 0: num_params 0.9 M");

    ((ObjectNode) file.get("0.875").get(0)).put("num_params", 0.86017);
    ((ObjectNode) file.get("1.0").get(0)).putArray("embed_dim").add(160).add(160).add(160).add(160);
    HttpResponse<String> outside = http.postJson("/api/v1/spaces/" + space + "/preferred", file.toString());
    assertProblem(outside, 400, "body");
    assertThat(json(outside).get("pointer").asText()).startsWith("/1.0/0");

    assertProblem(http.post("/api/v1/spaces/" + space + "/preferred", "application/json",
        "{\"1.0\": [], \"1.0\": []}"), 400, "body");
    assertProblem(http.post("/api/v1/spaces/" + space + "/preferred", "application/json", "{\"1.0\": ["),
        400, "body");
    assertProblem(http.post("/api/v1/spaces/no-such-space/preferred", "application/json",
        Files.readString(SharedFiles.microA("selection.json"))), 404, "space");
    assertProblem(http.withKey(ApiTestSupport.READ_KEY).post("/api/v1/spaces/" + space + "/preferred",
        "application/json", Files.readString(SharedFiles.microA("selection.json"))), 403, "Authorization");

    assertThat(count("jobs")).isEqualTo(jobsBefore);
    assertThat(count("preferred_architectures")).isEqualTo(rowsBefore);
    assertProblem(http.get("/api/v1/spaces/" + space + "/preferred"), 404, "space");
  }

  private void assertStandaloneLogitsEqualTheSlice(JsonNode best) throws Exception {
    HttpResponse<byte[]> weights = http.getBytes(best.get("weightsUrl").asText());
    assertThat(weights.statusCode()).isEqualTo(200);
    Path file = Files.createTempFile("micro-a-model", ".safetensors");
    try {
      Files.write(file, weights.body());
      VitArchitecture arch = VitArchitectureJson.readConfig(best.get("config"));
      // The reference's own weights: every float32 tensor of checkpoint.pth equals init.safetensors.
      Map<String, Tensor> reference = Safetensors.read(SharedFiles.microA("init.safetensors")).tensors();
      Tensor images = randomImages(5, 13);
      float[] standalone;
      float[] slice;
      try (VitModel model = VitModel.load(file, "cpu")) {
        assertThat(model.parameterCount()).isEqualTo(best.get("params").asLong());
        standalone = model.logits(images).toFloats();
      }
      VitSpace micro = VitSpace.of(SpaceLoader.parse(space, ApiTestSupport.MICRO_YAML));
      try (VitSupernet supernet = VitSupernet.fromTensors(micro, reference, "cpu")) {
        slice = supernet.logits(arch, images).toFloats();
      }
      assertThat(standalone).hasSize(5 * 10);
      for (int i = 0; i < slice.length; i++) {
        assertThat((double) standalone[i]).as("logit %d", i).isCloseTo(slice[i], within(1e-6));
      }
      // The ONNX file made at publication runs in ONNX Runtime as the slice does.
      HttpResponse<byte[]> onnx = http.getBytes(best.get("onnxUrl").asText());
      assertThat(onnx.statusCode()).isEqualTo(200);
      try (OrtRunner ort = new OrtRunner(onnx.body())) {
        float[] logits = ort.logits(images);
        for (int i = 0; i < slice.length; i++) {
          assertThat((double) logits[i]).as("onnx logit %d", i).isCloseTo(slice[i], within(1e-5));
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private HttpResponse<String> submit(Map<String, Object> options) throws Exception {
    return http.postJson("/api/v1/jobs", Map.of("type", "evaluation", "space", space, "options", options));
  }

  private long count(String table) {
    return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(json(r).get("field").asText()).as(r.body()).isEqualTo(field);
  }

  private static Tensor randomImages(int n, long seed) {
    Random rng = new Random(seed);
    float[] x = new float[n * 3 * IMAGE_SIZE * IMAGE_SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {n, 3, IMAGE_SIZE, IMAGE_SIZE}, x);
  }

  /** An ImageFolder of two classes, {@code perClass} random RGB PNGs of the model's size in each. */
  private static void writeImageFolder(Path root, int perClass, long seed) throws Exception {
    Random rng = new Random(seed);
    for (String label : new String[] {"cat", "dog"}) {
      Path dir = Files.createDirectories(root.resolve(label));
      for (int i = 0; i < perClass; i++) {
        BufferedImage image = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < IMAGE_SIZE; y++) {
          for (int x = 0; x < IMAGE_SIZE; x++) {
            image.setRGB(x, y, rng.nextInt(0x1000000));
          }
        }
        ImageIO.write(image, "png", dir.resolve(i + ".png").toFile());
      }
    }
  }
}
