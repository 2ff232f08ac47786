package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serving port when the API port fails it: nobody listening, or the connection closed before or in the middle of
 * an answer. Neither hangs the client nor hands it a cut answer as whole.
 */
class ServingForwarderTest {

  private ServingListener serving;
  private ServerSocket api;

  @AfterEach
  void stop() throws IOException {
    if (serving != null) {
      serving.stop();
    }
    if (api != null) {
      api.close();
    }
  }

  private void start(int apiPort) {
    serving = ServingListeners.started(apiPort, 1000);
  }

  @Test
  void noApiPortIsA502ProblemAndAClose() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    start(closedPort);
    try (RawHttp c = new RawHttp(serving.port())) {
      RawHttp.Answer a = c.send("GET /api/v1/spaces HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(a.status()).isEqualTo(502);
      assertThat(a.headers().get("content-type")).isEqualTo("application/problem+json");
      assertThat(a.text()).contains("\"instance\":\"/api/v1/spaces\"");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anApiPortThatClosesBeforeAnsweringIsA502() throws Exception {
    api = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    start(api.getLocalPort());
    Thread apiSide = new Thread(() -> {
      try (Socket s = api.accept()) {
        readRequest(s.getInputStream());
      } catch (IOException e) {
        // the test fails on the client side
      }
    });
    apiSide.start();
    try (RawHttp c = new RawHttp(serving.port())) {
      assertThat(c.send("GET /api/v1/spaces HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(502);
    }
    apiSide.join();
  }

  @Test
  void anAnswerCutOffByTheApiPortIsNotPassedOnAsWhole() throws Exception {
    api = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    start(api.getLocalPort());
    Thread apiSide = new Thread(() -> {
      try (Socket s = api.accept()) {
        readRequest(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly part of it".getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // the test fails on the client side
      }
    });
    apiSide.start();
    try (RawHttp c = new RawHttp(serving.port())) {
      c.send("GET /api/v1/models/1/weights?format=onnx HTTP/1.1\r\nHost: x\r\n\r\n");
      byte[] all = c.readAllUntilClosed();
      String text = new String(all, StandardCharsets.UTF_8);
      assertThat(text).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 1000")
          .endsWith("only part of it");
    }
    apiSide.join();
  }

  private static void readRequest(InputStream in) throws IOException {
    int state = 0;
    for (int b; state < 4 && (b = in.read()) >= 0; ) {
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
    }
  }
}
