package io.prenas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.fileio.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench load}: a load client against a running server. Phase 1 drives {@code GET /api/v1/models/best} on a
 * fixed-rate open-loop schedule (requests are sent at their planned times whether or not earlier ones have answered,
 * and latency counts from the planned time, so a stall is not hidden by coordinated omission). Phase 2 downloads the
 * best model's weights (after one unrecorded warm-up round) with N concurrent closed-loop clients for each N, from the server and, when given, from a
 * comparison URL serving the same file (nginx), and reports throughput in MB/s and downloads/s.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load benchmark of a running server: models/best at a fixed rate, then weight downloads.")
final class BenchLoadCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Server base URL (default "
      + "${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--space", required = true, description = "Space of the budget lookup.")
  String space;

  @Option(names = "--max-params", defaultValue = "1e12", description = "Parameter budget (default ${DEFAULT-VALUE}).")
  String maxParams;

  @Option(names = "--rate", defaultValue = "200", description = "models/best requests per second (default "
      + "${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "30", description = "Seconds of the measured models/best phase "
      + "(default ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "10", description = "Seconds at the same rate before measuring "
      + "(default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,2,4,8",
      description = "Concurrent downloaders, one round each (default ${DEFAULT-VALUE}).")
  int[] concurrency;

  @Option(names = "--download-seconds", defaultValue = "10", description = "Seconds per download round (default "
      + "${DEFAULT-VALUE}).")
  double downloadSeconds;

  @Option(names = "--compare-url", description = "The same weights file from another server (e.g. nginx).")
  URI compareUrl;

  @Option(names = "--lookup-concurrency", split = ",", defaultValue = "1,4,16,64",
      description = "Closed-loop models/best rounds: concurrent clients per round (default ${DEFAULT-VALUE}).")
  int[] lookupConcurrency;

  @Option(names = "--lookup-requests", defaultValue = "2000",
      description = "Requests per closed-loop models/best round (default ${DEFAULT-VALUE}).")
  int lookupRequests;

  @Option(names = "--soak-requests", defaultValue = "10000", description = "Soak phase: this many requests, "
      + "lookups with a weights download every --download-every (default ${DEFAULT-VALUE}; 0 skips it).")
  int soakRequests;

  @Option(names = "--soak-clients", defaultValue = "8", description = "Soak phase clients (default ${DEFAULT-VALUE}).")
  int soakClients;

  @Option(names = "--download-every", defaultValue = "10",
      description = "Soak phase: every n-th request downloads the weights (default ${DEFAULT-VALUE}).")
  int downloadEvery;

  @Option(names = "--server-pid", description = "The server's process id on this machine: its resident memory is "
      + "sampled during the soak phase (from /proc) to show whether it grows.")
  Long serverPid;

  @Option(names = "--latencies", paramLabel = "<file.tsv>", description = "Also write every request of the measured "
      + "open-loop phase: its planned send time and its latency, in microseconds (to see which requests were slow).")
  Path latencies;

  @Option(names = "--api-key", defaultValue = "${env:PRENAS_API_KEY}", description = "Key sent as X-API-Key, for a "
      + "server with prenas.security.read-access=key (default: env PRENAS_API_KEY).")
  String apiKey;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Results file (JSON).")
  Path out;

  /** Connections of the open-loop phase: enough that a slow answer does not hold up the next planned send. */
  static final int OPEN_LOOP_CONNECTIONS = 8;

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public void run() {
    if (!(rate > 0) || !(duration > 0) || warmup < 0 || !(downloadSeconds > 0)) {
      throw new CliException("--rate, --duration and --download-seconds must be positive, --warmup not negative");
    }
    if (lookupRequests < 1 || soakRequests < 0 || soakClients < 1 || downloadEvery < 1
        || Arrays.stream(lookupConcurrency).anyMatch(c -> c < 1)) {
      throw new CliException("--lookup-requests, --soak-clients, --download-every and --lookup-concurrency must be "
          + "positive, --soak-requests not negative");
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(8)).build();
    PrintWriter printer = spec.commandLine().getOut();
    try {
      URI best = URI.create(url.replaceAll("/+$", "") + "/api/v1/models/best?space=" + space + "&maxParams="
          + maxParams);
      HttpResponse<String> first = client.send(request(best).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (first.statusCode() != 200) {
        throw new CliException("models/best answered " + first.statusCode() + ": " + first.body());
      }
      JsonNode model = json.readTree(first.body());
      URI weights = URI.create(url.replaceAll("/+$", "") + model.get("weightsUrl").asText());

      ObjectNode r = json.createObjectNode();
      r.put("url", url);
      r.put("space", space);
      r.put("modelId", model.get("id").asLong());
      r.put("weightsBytes", model.get("sizeBytes").asLong());
      r.put("cores", Runtime.getRuntime().availableProcessors());

      openLoop(best, warmup, null);
      ObjectNode lookup = r.putObject("best");
      openLoop(best, duration, lookup);
      printer.printf(Locale.ROOT, "models/best at %.0f req/s for %.0f s: %.1f req/s achieved, p50 %.2f ms, p99 %.2f ms,"
              + " max %.2f ms, errors %d%n", rate, duration, lookup.get("achievedPerSecond").asDouble(),
          lookup.get("p50Ms").asDouble(), lookup.get("p99Ms").asDouble(), lookup.get("maxMs").asDouble(),
          lookup.get("errors").asLong());

      ArrayNode lookupRounds = r.putArray("bestByConcurrency");
      for (int c : lookupConcurrency) {
        ObjectNode round = closedLoopLookups(client, best, c);
        lookupRounds.add(round);
        printer.printf(Locale.ROOT, "models/best, %d clients: %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d%n", c,
            round.get("perSecond").asDouble(), round.get("p50Ms").asDouble(), round.get("p99Ms").asDouble(),
            round.get("errors").asLong());
        printer.flush();
      }

      // an unrecorded warm-up round on the server (a fresh JVM's download path is not compiled yet)
      downloads("server", weights, Arrays.stream(concurrency).max().orElse(1), null);
      ArrayNode rounds = r.putArray("downloads");
      for (int c : concurrency) {
        rounds.add(downloads("server", weights, c, printer));
        if (compareUrl != null) {
          rounds.add(downloads("compare", compareUrl, c, printer));
        }
      }
      if (compareUrl != null) {
        ArrayNode ratios = r.putArray("serverOverCompare");
        for (int i = 0; i + 1 < rounds.size(); i += 2) {
          ObjectNode q = ratios.addObject();
          q.put("concurrency", rounds.get(i).get("concurrency").asInt());
          q.put("ratio", rounds.get(i).get("mbPerSecond").asDouble()
              / Math.max(1e-9, rounds.get(i + 1).get("mbPerSecond").asDouble()));
        }
      }
      if (soakRequests > 0) {
        ObjectNode soak = soak(client, best, weights, model.get("sizeBytes").asLong());
        r.set("soak", soak);
        printer.printf(Locale.ROOT, "soak: %d requests (%d downloads) from %d clients in %.1f s, errors %d%s%n",
            soak.get("requests").asInt(), soak.get("downloads").asInt(), soakClients, soak.get("seconds").asDouble(),
            soak.get("errors").asLong(), soak.has("rssGrowthKib")
                ? String.format(Locale.ROOT, ", server RSS %d -> %d KiB", soak.get("rssFirstKib").asLong(),
                    soak.get("rssLastKib").asLong()) : "");
      }
      if (out != null) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        json.writeValue(out.toFile(), r);
        printer.println("results: " + out);
      }
      printer.flush();
    } catch (IOException e) {
      throw new CliException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
  }

  /**
   * Sends at the planned times t0 + i / rate from a lean keep-alive client ({@link OpenLoopHttp}); a latency runs
   * from the planned time to the end of the body.
   */
  private void openLoop(URI uri, double seconds, ObjectNode result) throws InterruptedException {
    int n = (int) Math.round(seconds * rate);
    if (n == 0) {
      return;
    }
    CpuClock cpu = CpuClock.start(serverPid);
    OpenLoopHttp.Run run = new OpenLoopHttp(uri, apiKey).run(n, rate, OPEN_LOOP_CONNECTIONS);
    if (result == null) {
      return;
    }
    cpu.stop(n, result);
    if (latencies != null) {
      writeLatencies(run, 1e6 / rate);
    }
    long[] sorted = run.latencyNanos().clone();
    Arrays.sort(sorted);
    result.put("targetPerSecond", rate);
    result.put("requests", n);
    result.put("ok", n - run.errors());
    result.put("errors", run.errors());
    result.put("achievedPerSecond", (n - run.errors()) / run.seconds());
    result.put("p50Ms", percentile(sorted, 0.50));
    result.put("p90Ms", percentile(sorted, 0.90));
    result.put("p99Ms", percentile(sorted, 0.99));
    result.put("p999Ms", percentile(sorted, 0.999));
    result.put("maxMs", sorted[n - 1] / 1e6);
    result.put("maxSendLagMs", run.maxSendLagNanos() / 1e6);
    // where the tail falls in time: spread evenly (the CPU shared by all) or in bursts (a collector's pause, a
    // background task); request i was planned at second i / rate
    ArrayNode bySecond = result.putArray("bySecond");
    int perWindow = (int) Math.max(1, Math.round(rate));
    for (int from = 0; from < n; from += perWindow) {
      long[] window = Arrays.copyOfRange(run.latencyNanos(), from, Math.min(n, from + perWindow));
      Arrays.sort(window);
      ObjectNode w = bySecond.addObject();
      w.put("second", from / perWindow);
      w.put("p99Ms", percentile(window, 0.99));
      w.put("maxMs", window[window.length - 1] / 1e6);
      w.put("over2Ms", Arrays.stream(window).filter(t -> t > 2_000_000).count());
    }
  }

  /** One line per request: planned send time (µs from the first) and latency (µs), written whole or not at all. */
  private void writeLatencies(OpenLoopHttp.Run run, double periodMicros) {
    long[] latencyNanos = run.latencyNanos();
    StringBuilder b = new StringBuilder("# first planned send at monotonic clock " + run.startNanos() + " ns\n"
        + "planned_us\tlatency_us\n");
    for (int i = 0; i < latencyNanos.length; i++) {
      b.append(Math.round(i * periodMicros)).append('\t').append(latencyNanos[i] / 1000).append('\n');
    }
    try {
      AtomicFiles.writeString(latencies, AtomicFiles.Sync.NONE, b.toString());
    } catch (IOException e) {
      throw new CliException("cannot write " + latencies + ": " + e.getMessage(), e);
    }
  }

  /**
   * Closed loop: c clients each download the file again and again for the round's duration, over keep-alive
   * connections of the lean client ({@link OpenLoopHttp#closedLoop}), the same for the server and for nginx.
   */
  private ObjectNode downloads(String target, URI uri, int c, PrintWriter printer) throws InterruptedException {
    OpenLoopHttp.ClosedRun run = new OpenLoopHttp(uri, apiKey, "*/*").closedLoop(downloadSeconds, c);
    long[] all = run.latencyNanos();
    ObjectNode r = json.createObjectNode();
    r.put("target", target);
    r.put("url", uri.toString());
    r.put("concurrency", c);
    r.put("downloads", all.length);
    r.put("errors", run.errors());
    r.put("mbPerSecond", run.bodyBytes() / run.seconds() / 1e6);
    r.put("downloadsPerSecond", all.length / run.seconds());
    r.put("p50Ms", all.length == 0 ? Double.NaN : percentile(all, 0.50));
    r.put("p99Ms", all.length == 0 ? Double.NaN : percentile(all, 0.99));
    if (printer == null) {
      return r;
    }
    printer.printf(Locale.ROOT, "weights from %s, %d clients: %.1f MB/s, %.1f downloads/s, p50 %.2f ms, p99 %.2f ms,"
            + " errors %d%n", target, c, r.get("mbPerSecond").asDouble(), r.get("downloadsPerSecond").asDouble(),
        r.get("p50Ms").asDouble(), r.get("p99Ms").asDouble(), run.errors());
    printer.flush();
    return r;
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    return apiKey == null || apiKey.isBlank() ? b : b.header("X-API-Key", apiKey);
  }

  /** Closed loop: c clients send models/best back to back until --lookup-requests have been answered. */
  private ObjectNode closedLoopLookups(HttpClient client, URI uri, int c) throws InterruptedException {
    HttpRequest request = request(uri).timeout(Duration.ofSeconds(10)).GET().build();
    long[] latency = new long[lookupRequests];
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(c);
    long start = System.nanoTime();
    for (int k = 0; k < c; k++) {
      pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < lookupRequests; ) {
          long t = System.nanoTime();
          if (!send(client, request, -1)) {
            errors.incrementAndGet();
          }
          latency[i] = System.nanoTime() - t;
        }
      });
    }
    pool.shutdown();
    boolean finished = pool.awaitTermination(300, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - start) / 1e9;
    long[] sorted = latency.clone();
    Arrays.sort(sorted);
    ObjectNode r = json.createObjectNode();
    r.put("concurrency", c);
    r.put("requests", lookupRequests);
    r.put("errors", errors.get() + (finished ? 0 : 1));
    r.put("perSecond", lookupRequests / wall);
    r.put("p50Ms", percentile(sorted, 0.50));
    r.put("p99Ms", percentile(sorted, 0.99));
    r.put("maxMs", sorted[sorted.length - 1] / 1e6);
    return r;
  }

  /**
   * Soak: --soak-requests requests from --soak-clients clients, every --download-every-th a whole weights download
   * (its length checked), the rest budget lookups; the server's RSS is sampled after every tenth of them.
   */
  private ObjectNode soak(HttpClient client, URI best, URI weights, long weightsBytes) throws InterruptedException {
    HttpRequest lookup = request(best).timeout(Duration.ofSeconds(10)).GET().build();
    HttpRequest download = request(weights).timeout(Duration.ofSeconds(60)).GET().build();
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong downloads = new AtomicLong();
    int sampleEvery = Math.max(1, soakRequests / 10);
    List<Long> rss = Collections.synchronizedList(new ArrayList<>());
    rssKib().ifPresent(rss::add);
    ExecutorService pool = Executors.newFixedThreadPool(soakClients);
    long start = System.nanoTime();
    for (int k = 0; k < soakClients; k++) {
      pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < soakRequests; ) {
          boolean isDownload = i % downloadEvery == downloadEvery - 1;
          if (isDownload) {
            downloads.incrementAndGet();
          }
          if (!send(client, isDownload ? download : lookup, isDownload ? weightsBytes : -1)) {
            errors.incrementAndGet();
          }
          if ((i + 1) % sampleEvery == 0) {
            rssKib().ifPresent(rss::add);
          }
        }
      });
    }
    pool.shutdown();
    boolean finished = pool.awaitTermination(3600, TimeUnit.SECONDS);
    ObjectNode r = json.createObjectNode();
    r.put("requests", soakRequests);
    r.put("downloads", downloads.get());
    r.put("errors", errors.get() + (finished ? 0 : 1));
    r.put("seconds", (System.nanoTime() - start) / 1e9);
    if (!rss.isEmpty()) {
      ArrayNode series = r.putArray("rssKib");
      rss.forEach(series::add);
      r.put("rssFirstKib", rss.get(0));
      r.put("rssLastKib", rss.get(rss.size() - 1));
      r.put("rssGrowthKib", rss.get(rss.size() - 1) - rss.get(0));
    }
    return r;
  }

  /** One request with its whole body read; true for a 200 whose body has {@code expectedBytes} (when >= 0). */
  private static boolean send(HttpClient client, HttpRequest request, long expectedBytes) {
    try {
      HttpResponse<InputStream> resp = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long got = 0;
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = resp.body()) {
        for (int m; (m = in.read(buffer)) >= 0; ) {
          got += m;
        }
      }
      return resp.statusCode() == 200 && (expectedBytes < 0 || got == expectedBytes);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The server's resident memory (VmRSS) when --server-pid names a process on this machine. */
  private Optional<Long> rssKib() {
    if (serverPid == null) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", serverPid.toString(), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not on this machine, or gone: no sample
    }
    return Optional.empty();
  }

  private static double percentile(long[] sortedNanos, double q) {
    int i = (int) Math.ceil(q * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
  }
}
