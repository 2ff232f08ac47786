package io.prenas.api;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.security.ReadAccessForTests;
import io.prenas.storage.ArtifactStore;
import java.time.Duration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.server.WebServer;

/**
 * A serving port without the rest of the server, for tests of its connection handling: one event loop on loopback, an
 * empty model catalog (so every lookup and download is forwarded), open reads, and the API port at {@code apiPort}.
 */
final class ServingListeners {

  private ServingListeners() {}

  /** Started; the caller stops it. */
  static ServingListener started(int apiPort, int maxKeepAliveRequests) {
    WebServerApplicationContext web = mock(WebServerApplicationContext.class);
    WebServer server = mock(WebServer.class);
    when(web.getWebServer()).thenReturn(server);
    when(server.getPort()).thenReturn(apiPort);
    ModelCatalog models = mock(ModelCatalog.class);
    ServingListener serving = new ServingListener(
        new ServingProperties(0, "127.0.0.1", 1, Duration.ofSeconds(60), maxKeepAliveRequests), web, null,
        new BestModelFastPath(models, new ModelResponses(new ObjectMapper())),
        new WeightsFiles(models, mock(ArtifactStore.class), mock(ModelOnnxFiles.class)),
        ReadAccessForTests.open(), new SimpleMeterRegistry());
    serving.start();
    return serving;
  }
}
