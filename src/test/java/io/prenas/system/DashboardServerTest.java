package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.prenas.security.ApiKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard on a reachable address asks for a write key: Basic (key as password), Bearer or X-API-Key. */
class DashboardServerTest {

  private static final String WRITE_KEY = "pn_write-key-for-the-dashboard";
  private static final String READ_KEY = "pn_read-key-for-the-dashboard";
  private static final ApiKeys KEYS = ApiKeys.parse(ApiKeys.entry("ops", ApiKeys.Scope.WRITE, WRITE_KEY) + ","
      + ApiKeys.entry("viewer", ApiKeys.Scope.READ, READ_KEY));

  private final HttpClient http = HttpClient.newHttpClient();
  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    server = new DashboardServer(mock(StorageProvider.class), new JacksonJsonMapper(),
        new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), KEYS);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void onlyLoopbackGoesWithoutAKey() throws Exception {
    assertThat(DashboardServer.needsKey(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(DashboardServer.needsKey(InetAddress.getByName("::1"))).isFalse();
    assertThat(DashboardServer.needsKey(InetAddress.getByName("0.0.0.0"))).isTrue();
    assertThat(DashboardServer.needsKey(InetAddress.getByName("10.1.2.3"))).isTrue();
  }

  @Test
  void withoutAKeyTheBrowserIsAskedForOne() throws Exception {
    HttpResponse<String> r = get("/dashboard/", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(DashboardKeyCheck.CHALLENGE);
    assertThat(get("/api/jobs", null, null).statusCode()).as("the jobs API too").isEqualTo(401);
    assertThat(get("/", null, null).statusCode()).as("and the redirect").isEqualTo(401);
  }

  @Test
  void aWrongKeyOrAReadKeyIsRefused() throws Exception {
    assertThat(get("/dashboard/", "Authorization", basic("admin", "pn_not-a-key")).statusCode()).isEqualTo(401);
    assertThat(get("/dashboard/", "Authorization", "Basic %%%").statusCode()).isEqualTo(401);
    assertThat(get("/dashboard/", "Authorization", basic("admin", READ_KEY)).statusCode()).isEqualTo(403);
    assertThat(get("/dashboard/", "X-API-Key", READ_KEY).statusCode()).isEqualTo(403);
  }

  @Test
  void aWriteKeyOpensIt() throws Exception {
    HttpResponse<String> basic = get("/dashboard/", "Authorization", basic("anyone", WRITE_KEY));
    assertThat(basic.statusCode()).isEqualTo(200);
    assertThat(basic.body()).containsIgnoringCase("jobrunr");
    assertThat(get("/dashboard/", "Authorization", "Bearer " + WRITE_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard/", "X-API-Key", WRITE_KEY).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path, String header, String value) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (header != null) {
      b.header(header, value);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
