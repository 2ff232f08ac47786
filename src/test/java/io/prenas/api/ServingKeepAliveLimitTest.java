package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code prenas.serving.max-keep-alive-requests}: the answer to a connection's request number N closes it, whether the
 * serving port answers itself or forwards the request; requests pipelined behind it are not answered.
 */
class ServingKeepAliveLimitTest {

  private static final String POST = "POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  private static final String FORWARDED = "GET /api/v1/spaces HTTP/1.1\r\nHost: x\r\n\r\n";

  private ServerSocket api;
  private Thread apiSide;
  private ServingListener serving;

  @BeforeEach
  void apiPortAnsweringEveryRequest() throws IOException {
    api = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    apiSide = new Thread(() -> {
      while (!api.isClosed()) {
        try (Socket s = api.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          OutputStream out = s.getOutputStream();
          for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) { // end of a request's head (the forwarded requests have no body)
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
          }
        } catch (SocketException e) {
          return; // closed at the end of the test
        } catch (IOException e) {
          // the next connection
        }
      }
    });
    apiSide.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (serving != null) {
      serving.stop();
    }
    api.close();
    apiSide.join(5_000);
  }

  private void start(int maxKeepAliveRequests) {
    serving = ServingListeners.started(api.getLocalPort(), maxKeepAliveRequests);
  }

  @Test
  void theAnswerToTheLastAllowedRequestClosesTheConnection() throws Exception {
    start(3);
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer first = c.send(POST).read();
      assertThat(first.status()).isEqualTo(405);
      assertThat(first.headers()).doesNotContainKey("connection");
      RawHttp.Answer second = c.send(FORWARDED).read();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.headers()).doesNotContainKey("connection");
      RawHttp.Answer third = c.send(POST).read();
      assertThat(third.status()).isEqualTo(405);
      assertThat(third.headers().get("connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(serving.port())) {
      assertThat(c.send(POST).read().status()).as("a new connection counts from 1").isEqualTo(405);
      assertThat(c.send(FORWARDED).read().status()).isEqualTo(200);
      RawHttp.Answer third = c.send(FORWARDED).read();
      assertThat(third.status()).isEqualTo(200);
      assertThat(third.text()).isEqualTo("ok");
      assertThat(third.headers().get("connection")).as("a forwarded answer").isEqualToIgnoringCase("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void requestsPipelinedBehindTheClosingAnswerAreNotAnswered() throws Exception {
    start(2);
    try (RawHttp c = new RawHttp(serving.port())) {
      c.send(POST + POST + POST + FORWARDED);
      assertThat(c.read().status()).isEqualTo(405);
      RawHttp.Answer second = c.read();
      assertThat(second.headers().get("connection")).isEqualToIgnoringCase("close");
      assertThat(c.readAllUntilClosed()).isEmpty();
    }
  }

  @Test
  void withoutALimitTheConnectionStaysOpen() throws Exception {
    start(-1);
    try (RawHttp c = new RawHttp(serving.port())) {
      for (int i = 0; i < 1_100; i++) {
        RawHttp.Answer a = c.send(POST).read();
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.headers()).doesNotContainKey("connection");
      }
    }
  }
}
