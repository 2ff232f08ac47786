package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with the dashboard switched on serves JobRunr's dashboard on the configured port, bound to loopback (the
 * default address): reachable from this host without a key, not from another interface.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"prenas.role=worker", "prenas.dashboard.enabled=true"})
class DashboardTest {

  static final int PORT = freePort();

  @DynamicPropertySource
  static void port(DynamicPropertyRegistry registry) {
    registry.add("prenas.dashboard.port", () -> PORT);
  }

  @Test
  void theDashboardAnswersOnItsOwnPort() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/dashboard/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).containsIgnoringCase("jobrunr");
  }

  /** The serving port is for nodes that answer the API (roles api and all): a worker opens none. */
  @Test
  void aWorkerHasNoServingPort(@Autowired ApplicationContext context) {
    assertThat(context.containsBean("servingListener")).isFalse();
  }

  @Test
  void byDefaultItIsNotReachableFromAnotherInterface() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeThat(external).as("this host has a non-loopback IPv4 address").isPresent();
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(external.get(), PORT), 2000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    return NetworkInterface.networkInterfaces().filter(DashboardTest::up)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
  }

  private static boolean up(NetworkInterface n) {
    try {
      return n.isUp() && !n.isLoopback();
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
