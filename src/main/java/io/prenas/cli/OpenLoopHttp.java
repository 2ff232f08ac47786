package io.prenas.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * An open-loop HTTP/1.1 GET load at a fixed rate, as lean as a load client can be (in the spirit of wrk2): a few
 * threads, each with one keep-alive socket, take the planned send times t0 + i / rate in turn, write a prepared
 * request and read the response in place. Latency runs from the planned time, so a late send or a busy connection
 * counts against the server (no coordinated omission), and the client adds no thread hand-offs or futures of its own
 * to what it measures; the JDK's HttpClient added about a millisecond of its own at the tail on a 2-core machine.
 */
final class OpenLoopHttp {

  /**
   * What one run saw: per-request latencies (nanoseconds from the planned time), errors, worst send lag, and the
   * first planned send time on {@link System#nanoTime}'s clock (CLOCK_MONOTONIC on Linux, as {@code perf -k} can use).
   */
  record Run(long[] latencyNanos, long errors, long maxSendLagNanos, double seconds, long startNanos) {}

  /** A request unanswered for this long is given up: its connection is closed and the request counts as an error. */
  private static final long REQUEST_TIMEOUT_NANOS = 10_000_000_000L;

  private final URI uri;
  private final byte[] request;
  /** Open connections, for the watchdog (reads block without a socket timeout: see {@link Connection}). */
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  OpenLoopHttp(URI uri, String apiKey) {
    this(uri, apiKey, "application/json");
  }

  /** Requests with this {@code Accept} header ({@code *}{@code /*} for a file download). */
  OpenLoopHttp(URI uri, String apiKey, String accept) {
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs, got " + uri);
    }
    this.uri = uri;
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String key = apiKey == null || apiKey.isBlank() ? "" : "X-API-Key: " + apiKey + "\r\n";
    this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port() + "\r\n" + key
        + "Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private int port() {
    return uri.getPort() > 0 ? uri.getPort() : 80;
  }

  /** Sends {@code n} requests at {@code rate} per second from {@code connections} connections. */
  Run run(int n, double rate, int connections) throws InterruptedException {
    long[] latency = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong maxLag = new AtomicLong();
    long period = (long) (1e9 / rate);
    long t0 = System.nanoTime() + 5_000_000;
    runClients("load", connections, client -> {
      for (int i; (i = next.getAndIncrement()) < n; ) {
        long planned = t0 + i * period;
        long wait;
        while ((wait = planned - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        maxLag.accumulateAndGet(-wait, Math::max);
        if (!client.get()) {
          errors.incrementAndGet();
        }
        latency[i] = System.nanoTime() - planned;
      }
    });
    return new Run(latency, errors.get(), maxLag.get(), (System.nanoTime() - t0) / 1e9, t0);
  }

  /** What a closed-loop run saw: per-request latencies (nanoseconds), body bytes read, errors, wall seconds. */
  record ClosedRun(long[] latencyNanos, long bodyBytes, long errors, double seconds) {}

  /**
   * A closed loop: {@code connections} keep-alive clients, each sending its next GET as soon as it has read the last
   * answer, for {@code seconds}. The body is read and dropped in 64 KB reads, so a download costs the client one copy
   * out of the kernel and nothing else (the JDK's HttpClient, with its own threads and buffers, was the bottleneck of
   * a 2 MB download on two cores, for the server and for nginx alike).
   */
  ClosedRun closedLoop(double seconds, int connections) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<long[]> perClient = new ArrayList<>();
    long start = System.nanoTime();
    runClients("closed", connections, client -> {
      LongStream.Builder mine = LongStream.builder();
      while (System.nanoTime() < end) {
        long t = System.nanoTime();
        if (client.get()) {
          bytes.addAndGet(client.bodyBytes());
          mine.add(System.nanoTime() - t);
        } else {
          errors.incrementAndGet();
        }
      }
      long[] latencies = mine.build().toArray();
      synchronized (perClient) {
        perClient.add(latencies);
      }
    });
    long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new ClosedRun(all, bytes.get(), errors.get(), (System.nanoTime() - start) / 1e9);
  }

  /** Runs {@code work} on {@code connections} threads, each with a client of its own, and waits for all. */
  private void runClients(String name, int connections, Consumer<Client> work) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t = new Thread(() -> {
        Client client = new Client();
        try {
          work.accept(client);
        } finally {
          client.close();
        }
      }, name + "-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Thread watchdog = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long now = System.nanoTime();
        for (Connection c : open) {
          long since = c.busySince;
          if (since != 0 && now - since > REQUEST_TIMEOUT_NANOS) {
            c.abort();
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, name + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      watchdog.interrupt();
    }
  }

  /** One client thread's keep-alive connection, opened again when the server ends it or it breaks. */
  private final class Client {
    private Connection conn;
    private long bodyBytes;

    /** One GET; true for a 200 read in full, false for any error (a broken connection is dropped). */
    boolean get() {
      try {
        if (conn == null) {
          conn = new Connection();
        }
        boolean ok = conn.get();
        bodyBytes = conn.bodyBytes;
        if (conn.closing) {
          close(); // the server ended keep-alive (ours: every 1000 requests)
        }
        return ok;
      } catch (IOException e) {
        close();
        return false;
      }
    }

    /** Body bytes of the last answer. */
    long bodyBytes() {
      return bodyBytes;
    }

    void close() {
      if (conn != null) {
        conn.abort();
        conn = null;
      }
    }
  }

  /**
   * One keep-alive connection: writes the prepared request, reads one response (Content-Length or chunked). Reads
   * block in the kernel: with a socket timeout the JDK reads a socket in non-blocking mode and waits in poll(), three
   * system calls instead of one per read, which on two shared cores is the client's CPU taken from the server under
   * test; the watchdog of {@link #runClients} ends a request that takes too long instead.
   */
  private final class Connection {
    final Socket socket = new Socket();
    final OutputStream out;
    final InputStream in;
    boolean closing;
    /** When the request in flight was sent (System.nanoTime), 0 between requests. */
    volatile long busySince;
    /** Body bytes of the last answer. */
    long bodyBytes;
    private final byte[] drain = new byte[1 << 16];

    Connection() throws IOException {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), port()), 5000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      open.add(this);
    }

    void abort() {
      open.remove(this);
      try {
        socket.close();
      } catch (IOException e) {
        // already broken
      }
    }

    /** True for a 200 read in full. */
    boolean get() throws IOException {
      busySince = System.nanoTime() | 1;
      try {
        return exchange();
      } finally {
        busySince = 0;
      }
    }

    private boolean exchange() throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String h; !(h = line()).isEmpty(); ) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).strip());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closing = true;
        }
      }
      bodyBytes = 0;
      if (chunked) {
        for (long size; (size = Long.parseLong(line().strip(), 16)) > 0; ) {
          skip(size);
          bodyBytes += size;
          line();
        }
        line();
      } else if (length >= 0) {
        skip(length);
        bodyBytes = length;
      } else {
        throw new IOException("response without a length");
      }
      return code == 200;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder(64);
      for (int b; (b = in.read()) != '\n'; ) {
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      return sb.toString();
    }

    /** Reads and drops n body bytes, 64 KB at a time (InputStream.skip on a socket reads 2 KB at a time). */
    private void skip(long n) throws IOException {
      while (n > 0) {
        int r = in.read(drain, 0, (int) Math.min(drain.length, n));
        if (r < 0) {
          throw new IOException("connection closed");
        }
        n -= r;
      }
    }
  }
}
