package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.prenas.storage.ArtifactKind;
import io.prenas.storage.StoredArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which downloads {@link WeightsFastPath} answers itself, and that it answers them as the controller does. */
class WeightsFastPathTest {

  @TempDir
  Path dir;

  WeightsFiles files;
  WeightsFiles.WeightsFile known;
  WeightsFastPath filter;

  @BeforeEach
  void setUp() throws Exception {
    Path file = Files.write(dir.resolve("weights"), new byte[1234]);
    String sha = "ab".repeat(32);
    known = new WeightsFiles.WeightsFile(new StoredArtifact(sha, 1234, ArtifactKind.SUBNET_WEIGHTS, file,
        Instant.now()), "\"" + sha + "\"", "attachment; filename=\"s-a.safetensors\"");
    files = mock(WeightsFiles.class);
    when(files.remembered(anyLong(), any())).thenReturn(null);
    when(files.remembered(7L, ModelController.WeightsFormat.SAFETENSORS)).thenReturn(known);
    filter = new WeightsFastPath(files);
  }

  @Test
  void aRememberedWholeFileGoesOutWithTheControllersHeadersThroughSendfile() throws Exception {
    MockHttpServletRequest request = get("/api/v1/models/7/weights", null);
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);

    assertThat(chain.getRequest()).as("not passed on").isNull();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeader("ETag")).isEqualTo(known.etag());
    assertThat(response.getHeader("Content-Disposition")).isEqualTo(known.contentDisposition());
    assertThat(response.getHeader("Accept-Ranges")).isEqualTo("bytes");
    assertThat(response.getHeader("Cache-Control")).isEqualTo(ModelController.IMMUTABLE);
    assertThat(response.getContentType()).isEqualTo("application/octet-stream");
    assertThat(response.getContentLengthLong()).isEqualTo(1234);
    assertThat(request.getAttribute("org.apache.tomcat.sendfile.filename"))
        .isEqualTo(known.file().file().toAbsolutePath().toString());
    assertThat(request.getAttribute("org.apache.tomcat.sendfile.end")).isEqualTo(1234L);
  }

  @Test
  void everythingElseGoesToTheController() throws Exception {
    assertPassedOn(get("/api/v1/models/8/weights", null)); // not looked up yet
    assertPassedOn(get("/api/v1/models/7/weights", "format=onnx")); // that format not looked up yet
    assertPassedOn(get("/api/v1/models/7/weights", "format=ONNX&x=1"));
    assertPassedOn(get("/api/v1/models/7/config", null));
    assertPassedOn(get("/api/v1/models/abc/weights", null));
    MockHttpServletRequest range = get("/api/v1/models/7/weights", null);
    range.addHeader("Range", "bytes=0-9");
    assertPassedOn(range);
    MockHttpServletRequest conditional = get("/api/v1/models/7/weights", null);
    conditional.addHeader("If-None-Match", known.etag());
    assertPassedOn(conditional);
    MockHttpServletRequest noSendfile = get("/api/v1/models/7/weights", null);
    noSendfile.removeAttribute("org.apache.tomcat.sendfile.support");
    assertPassedOn(noSendfile);
    MockHttpServletRequest head = get("/api/v1/models/7/weights", null);
    head.setMethod("HEAD");
    assertPassedOn(head);
  }

  private void assertPassedOn(MockHttpServletRequest request) throws Exception {
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, new MockHttpServletResponse(), chain);
    assertThat(chain.getRequest()).as(request.getMethod() + " " + request.getRequestURI() + "?"
        + request.getQueryString()).isSameAs(request);
  }

  private static MockHttpServletRequest get(String path, String query) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", path);
    r.setQueryString(query);
    r.setAttribute("org.apache.tomcat.sendfile.support", Boolean.TRUE);
    return r;
  }
}
