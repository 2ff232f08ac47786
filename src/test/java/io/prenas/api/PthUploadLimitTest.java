package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.testing.SharedFiles;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A PyTorch checkpoint larger than {@code prenas.upload.max-size} (64 KB here) is refused with 413. */
class PthUploadLimitTest extends SmallLimitsServer {

  @LocalServerPort
  int port;

  ApiTestSupport http;

  @BeforeEach
  void setUp() {
    http = new ApiTestSupport(port);
  }

  @Test
  void anOversizedCheckpointIs413WithOrWithoutAContentLength() throws Exception {
    byte[] checkpoint = Files.readAllBytes(SharedFiles.microA("pth/state_dict.pth"));
    String upload = "/api/v1/spaces/autoformer-tiny/supernet";
    SpacesApiTest.assertProblem(http.postBytes(upload, "application/octet-stream", checkpoint), 413, "file");
    // Streamed without a length: the limit applies while the checkpoint is copied for reading.
    HttpRequest.Builder chunked = HttpRequest.newBuilder(http.uri(upload)).header("Content-Type",
        "application/octet-stream").POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(checkpoint)));
    JsonNode problem = SpacesApiTest.assertProblem(http.send(chunked), 413, "file");
    assertThat(problem.get("detail").asText()).contains("65536");
    assertThat(ApiTestSupport.json(http.get("/api/v1/spaces/autoformer-tiny")).get("supernetWeights").isNull())
        .isTrue();
  }
}
