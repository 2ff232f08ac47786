package io.prenas.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written and read byte by byte, for what a client library hides: several requests in one
 * write (pipelining), a malformed request, whether the server closed the connection after an answer.
 */
final class RawHttp implements Closeable {

  /** An answer as read: status, headers (names in lower case, the last value of a repeated one), body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket("localhost", port);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream());
  }

  RawHttp send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** The next answer; {@code head}: to a HEAD request (no body whatever the headers say). */
  Answer read(boolean head) throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    if (head || status == 304 || status == 204 || status / 100 == 1) {
      return new Answer(status, headers, new byte[0]);
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int size; (size = Integer.parseInt(line().split(";")[0].strip(), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
      return new Answer(status, headers, body.toByteArray());
    }
    String length = headers.get("content-length");
    byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    return new Answer(status, headers, body);
  }

  Answer read() throws IOException {
    return read(false);
  }

  /** Everything the server sends until it closes the connection. */
  byte[] readAllUntilClosed() throws IOException {
    return in.readAllBytes();
  }

  /** True when the server has closed the connection (nothing more to read). */
  boolean closedByServer() throws IOException {
    return in.read() < 0;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("connection closed after '" + b.toString(StandardCharsets.ISO_8859_1) + "'");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
