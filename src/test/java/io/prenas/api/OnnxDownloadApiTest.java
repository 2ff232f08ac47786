package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static io.prenas.api.SpacesApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.system.PrenasServer;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
import io.prenas.testing.SharedFiles;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code GET /api/v1/models/{id}/weights?format=onnx}: the ONNX file of a published micro-a subnet, with the rules of
 * the safetensors download (strong ETag = SHA-256, 304, Range 206, HEAD), made once, and running in ONNX Runtime as
 * the supernet slice does; the same for a CNN model (cnn-micro-a); an unknown format is a 400 naming it.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OnnxDownloadApiTest {

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  ModelOnnxFiles onnxFiles;

  @TempDir
  Path dir;

  ApiTestSupport http;
  String space;
  SearchSpace micro;

  @BeforeEach
  void setUp() {
    http = new ApiTestSupport(port);
    space = "onnx-" + UUID.randomUUID().toString().substring(0, 8);
    micro = spaces.register(space, MICRO_YAML).space();
  }

  @Test
  void theOnnxFileDownloadsWithTheRulesOfTheWeightsAndRunsAsTheSlice() throws Exception {
    Architecture arch = microASubnet(2);
    Path standalone = dir.resolve("subnet.safetensors");
    Tensor images = Safetensors.read(SharedFiles.microA("batch.safetensors")).tensors().get("x");
    float[] slice;
    SupernetFactory factory = ModelFamilies.port(micro, SupernetFactory.class);
    try (Supernet supernet = factory.fromTensors(micro,
        Safetensors.read(SharedFiles.microA("init.safetensors")).tensors(), "cpu")) {
      factory.export(supernet, arch, standalone, dir.resolve("subnet.json"));
      slice = supernet.logits(arch, images).toFloats();
    }
    // Published as before ONNX files existed: the first ONNX download makes the file and records it on the row.
    StoredArtifact weights = artifacts.store(standalone, ArtifactKind.SUBNET_WEIGHTS);
    PublishedModel legacy = models.publish(space, arch.id(), "{}", 1000, 1e6, 50.0, 60.0, weights, null);
    assertThat(legacy.onnxSha256()).isNull();
    String url = "/api/v1/models/" + legacy.id() + "/weights?format=onnx";

    HttpResponse<byte[]> full = http.getBytes(url);
    assertThat(full.statusCode()).isEqualTo(200);
    byte[] onnx = full.body();
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
    String etag = "\"" + sha256 + "\"";
    assertThat(full.headers().firstValue("ETag")).contains(etag);
    assertThat(full.headers().firstValue("Content-Length")).contains(String.valueOf(onnx.length));
    assertThat(full.headers().firstValue("Content-Type")).contains("application/octet-stream");
    assertThat(full.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment").endsWith(".onnx\"");
    assertThat(full.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(models.find(legacy.id()).orElseThrow().onnxSha256()).as("recorded once made").isEqualTo(sha256);
    assertThat(artifacts.get(sha256).kind()).isEqualTo(ArtifactKind.SUBNET_ONNX);
    assertThat(sha256).isNotEqualTo(weights.sha256());
    // Size close to the safetensors file: the same tensors plus the graph.
    assertThat((double) Math.abs(onnx.length - weights.size())).isLessThan(0.05 * weights.size());

    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertLogitsWithin(images, slice, 1e-5f);
    }

    HttpResponse<byte[]> head = http.head(url);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(onnx.length));
    assertThat(head.headers().firstValue("ETag")).contains(etag);

    HttpResponse<byte[]> notModified = http.getBytes(url, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("ETag")).contains(etag);
    // The safetensors file's ETag is another file's: no 304 for it.
    assertThat(http.getBytes(url, "If-None-Match", "\"" + weights.sha256() + "\"").statusCode()).isEqualTo(200);

    HttpResponse<byte[]> part = http.getBytes(url, "Range", "bytes=10-19");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(onnx, 10, 20));
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/" + onnx.length);
    HttpResponse<byte[]> tail = http.getBytes(url, "Range", "bytes=-7");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(onnx, onnx.length - 7, onnx.length));

    // Made once: later downloads stream the stored file; the format is case-insensitive; safetensors is the default.
    assertThat(http.getBytes(url).body()).isEqualTo(onnx);
    assertThat(http.getBytes("/api/v1/models/" + legacy.id() + "/weights?format=ONNX").body()).isEqualTo(onnx);
    assertThat(http.getBytes("/api/v1/models/" + legacy.id() + "/weights").body())
        .isEqualTo(Files.readAllBytes(standalone));
    assertThat(http.getBytes("/api/v1/models/" + legacy.id() + "/weights?format=safetensors").headers()
        .firstValue("ETag")).contains("\"" + weights.sha256() + "\"");

    // Published with its ONNX file (what a pipeline does): the same standalone file, the same ONNX bytes and ETag.
    StoredArtifact made = onnxFiles.make(micro, standalone);
    PublishedModel published = models.publish(space, arch.id(), "{}", 1000, 1e6, 40.0, 50.0, weights, made, null);
    assertThat(made.sha256()).isEqualTo(sha256);
    HttpResponse<byte[]> again = http.getBytes("/api/v1/models/" + published.id() + "/weights?format=onnx");
    assertThat(again.headers().firstValue("ETag")).contains(etag);
    assertThat(again.body()).isEqualTo(onnx);

    JsonNode model = json(http.get("/api/v1/models/" + published.id()));
    assertThat(model.get("onnxUrl").asText()).isEqualTo("/api/v1/models/" + published.id() + "/weights?format=onnx");
  }

  @Test
  void anUnknownFormatIsA400NamingFormat() throws Exception {
    StoredArtifact fake = artifacts.store(new ByteArrayInputStream(("not a model " + space)
        .getBytes(StandardCharsets.UTF_8)), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    PublishedModel m = models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{}", 1000, 1e6, 50.0, 60.0, fake, null);
    String base = "/api/v1/models/" + m.id() + "/weights";
    HttpResponse<String> unknown = http.get(base + "?format=tflite");
    assertProblem(unknown, 400, "format");
    assertThat(json(unknown).get("detail").asText()).contains("safetensors or onnx").contains("tflite");
    assertProblem(http.get("/api/v1/models/999999999/weights?format=onnx"), 404, "id");
  }

  /**
   * A CNN model (cnn-micro-a subnet 1, recalibrated) published without its ONNX file: the first ONNX download makes
   * it from the stored standalone file with the CNN family's port, and it runs in ONNX Runtime as the recalibrated
   * supernet slice does. (The pipeline's path, made at publication, is {@code CnnPipelineTest}'s.)
   */
  @Test
  void aCnnModelGetsItsOnnxFileOnItsFirstDownloadAndItRunsAsTheSlice() throws Exception {
    String cnn = "cnn-" + UUID.randomUUID().toString().substring(0, 8);
    Path fixture = SharedFiles.resolve("fixtures/cnn-micro-a");
    SearchSpace cnnSpace = spaces.register(cnn, Files.readString(fixture.resolve("space.yaml"))).space();
    JsonNode subnet = ApiTestSupport.JSON.readTree(fixture.resolve("subnets.json").toFile()).get("subnets").get(1);
    Architecture arch = cnnSpace.readArchitecture(subnet.get("arch"));
    Tensor images = Safetensors.read(fixture.resolve("batch32.safetensors")).tensors().get("x");
    Safetensors.Contents recal = Safetensors.read(fixture.resolve("recal32.safetensors"));
    Path standalone = dir.resolve("cnn.safetensors");
    float[] slice;
    SupernetFactory factory = ModelFamilies.port(cnnSpace, SupernetFactory.class);
    try (Supernet supernet = factory.fromTensors(cnnSpace,
        Safetensors.read(fixture.resolve("init.safetensors")).tensors(), "cpu")) {
      supernet.recalibrate(arch, java.util.List.of(recal.tensors().get("x.0"), recal.tensors().get("x.1"),
          recal.tensors().get("x.2")));
      slice = supernet.logits(arch, images).toFloats();
      factory.export(supernet, arch, standalone, dir.resolve("cnn.json"));
    }
    StoredArtifact weights = artifacts.store(standalone, ArtifactKind.SUBNET_WEIGHTS);
    PublishedModel m = models.publish(cnn, arch.id(), "{}", subnet.get("params").asLong(), 1e6, 50.0, 60.0,
        weights, null);
    String url = "/api/v1/models/" + m.id() + "/weights?format=onnx";

    HttpResponse<byte[]> head = http.head(url);
    assertThat(head.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> full = http.getBytes(url);
    assertThat(full.statusCode()).isEqualTo(200);
    byte[] onnx = full.body();
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
    assertThat(head.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(onnx.length));
    assertThat(full.headers().firstValue("Content-Disposition").orElseThrow()).endsWith(".onnx\"");
    assertThat(models.find(m.id()).orElseThrow().onnxSha256()).isEqualTo(sha256);
    assertThat(artifacts.get(sha256).kind()).isEqualTo(ArtifactKind.SUBNET_ONNX);
    io.prenas.onnx.proto.ModelProto model = io.prenas.onnx.proto.ModelProto.parseFrom(onnx);
    assertThat(model.getMetadataPropsList()).anySatisfy(e -> {
      assertThat(e.getKey()).isEqualTo("format");
      assertThat(e.getValue()).isEqualTo("prenas-cnn-subnet/1");
    });
    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertLogitsWithin(images, slice, 1e-5f);
    }
    assertThat(http.getBytes(url).body()).as("made once").isEqualTo(onnx);
  }

  private Architecture microASubnet(int index) throws Exception {
    JsonNode config = ApiTestSupport.JSON.readTree(SharedFiles.microA("subnets.json").toFile()).get("subnets")
        .get(index).get("config");
    return ArchitectureJson.fromTree(config, micro).get(0).architecture();
  }
}
