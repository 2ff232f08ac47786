package io.prenas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.selector.GradientSource;
import io.prenas.selector.PhaseTimes;
import io.prenas.selector.PreferredJson;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.Resource;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.Precision;
import io.prenas.supernet.MklCpuDispatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bench select}: the whole zero-cost selection from a seeded init, data-free, with every phase timed on its
 * own and the process's peak resident memory ({@code VmHWM}). Bins default to 1 M params over the space's range.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = "Benchmark the zero-cost selector phase by phase (time and peak RSS).")
final class BenchSelectCommand implements Runnable {

  private static final List<String> AFTER_GRADIENT_PASS = List.of(ZeroCostSelector.BLOCK_SCORES,
      ZeroCostSelector.PRECOMPUTE, ZeroCostSelector.ENUMERATE_AND_SCORE, ZeroCostSelector.SELECT, "write");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>", description = "Space name or YAML file.")
  String space;

  @Option(names = "--batch-size", defaultValue = "64", description = "Data-free batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--micro-batch", defaultValue = "" + GradientSource.DEFAULT_MICRO_BATCH,
      description = "Micro-batch size of the gradient pass (0 = one pass). Default ${DEFAULT-VALUE}.")
  int microBatch;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for the partial sums (0 = all cores).")
  int threads;

  @Option(names = "--score-compat", paramLabel = "reference", description = "Score mode, as in select.")
  String scoreCompat;

  @Option(names = "--device", description = "Device of the gradient pass (cpu, gpu0).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the gradient pass, as in select (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Results file (JSON).")
  Path out;

  @Override
  public void run() {
    PhaseTimes times = new PhaseTimes();
    SearchSpace searchSpace = times.time("load_space", () -> SearchSpaces.resolve(space));
    int threadCount = SelectCommand.threads(threads);
    ScoreMode mode = SelectCommand.scoreMode(scoreCompat);
    Precision passPrecision = SelectCommand.precision(precision);
    long rssBefore = peakRssBytes();
    try {
      SnipInputs inputs = GradientSource.fromGradientPass(searchSpace, new GradientSource.PassSettings(null, null,
          batchSize, microBatch, 0, 0.1, GradientPass.Objective.SUM_OF_LOGITS, device,
          passPrecision), times);
      long rssAfterPass = peakRssBytes();
      ResourceRange range = searchSpace.resourceRange();
      double lo = Math.floor(range.minParams() / 1e6);
      double hi = Math.ceil(range.maxParams() / 1e6) + 1;
      SelectionSettings settings = new SelectionSettings(io.prenas.space.Resource.PARAMS, lo, hi, 1.0, 1);
      ZeroCostSelector.Outcome outcome = ZeroCostSelector.run(searchSpace, inputs, mode, settings, threadCount,
          times);
      Path preferred = Files.createTempFile("prenas-bench-", ".json");
      try {
        times.time("write", () -> {
          try {
            PreferredJson.write(preferred, outcome.selection(), searchSpace);
            return null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } finally {
        Files.deleteIfExists(preferred);
      }
      ObjectNode result = results(searchSpace, threadCount, mode, passPrecision, times, outcome);
      result.put("peak_rss_before_gradient_pass_bytes", rssBefore);
      result.put("peak_rss_after_gradient_pass_bytes", rssAfterPass);
      result.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
      PrintWriter printer = spec.commandLine().getOut();
      printer.println(render(result));
      printer.flush();
      if (out != null) {
        Files.writeString(out, render(result));
      }
    } catch (SelectorException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode results(SearchSpace s, int threadCount, ScoreMode mode, Precision passPrecision,
      PhaseTimes times, ZeroCostSelector.Outcome outcome) {
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("benchmark", "select");
    r.put("space", s.name());
    r.put("batch_size", batchSize);
    r.put("micro_batch", microBatch <= 0 ? batchSize : microBatch);
    r.put("threads", threadCount);
    r.put("score_mode", mode.name().toLowerCase(Locale.ROOT));
    r.put("precision", passPrecision.id());
    r.put("device", device == null ? "default" : device);
    r.put("cpus", Runtime.getRuntime().availableProcessors());
    r.put("java", System.getProperty("java.version"));
    r.put("mkl_cpu_dispatch", MklCpuDispatch.state());
    ObjectNode phases = r.putObject("phases_s");
    for (Map.Entry<String, Long> e : times.nanos().entrySet()) phases.put(e.getKey(), e.getValue() / 1e9);
    double after = AFTER_GRADIENT_PASS.stream().mapToDouble(times::seconds).sum();
    r.put("after_gradient_pass_s", after);
    r.put("candidates", outcome.candidates().size());
    r.put("non_empty_bins", outcome.selection().nonEmptyBins().size());
    r.put("peak_rss_bytes", peakRssBytes());
    return r;
  }

  /** VmHWM of this process (Linux), or -1 where /proc is not available. */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String render(ObjectNode node) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
