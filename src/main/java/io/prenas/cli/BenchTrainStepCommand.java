package io.prenas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.MklCpuDispatch;
import io.prenas.supernet.Precision;
import io.prenas.supernet.TrainStepBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bench train-step}: forward, backward and AdamW update of the space's max architecture, timed per phase,
 * with the process RSS after every step (flat when native memory is released) and its peak.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
    description = "Time supernet training steps (max architecture): forward, backward, AdamW update; RSS per step.")
final class BenchTrainStepCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>",
      description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--batch", required = true, description = "Images per step.")
  int batch;

  @Option(names = "--steps", required = true, description = "Timed steps.")
  int steps;

  @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = engine default).")
  int threads;

  @Option(names = "--image-size", defaultValue = "0", description = "Input size (0 = the space's).")
  int imageSize;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, images and drop-path.")
  long seed;

  @Option(names = "--device", description = "Device: cpu, gpu or gpuN (default: the engine's).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the forward pass: fp32, or bf16 (mixed precision, float32 master weights;"
          + " default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Write the results as JSON here.")
  Path out;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    TrainStepBenchmark.Options options;
    try {
      options = TrainStepBenchmark.Options.of(batch, steps).withWarmupSteps(warmup).withThreads(threads)
          .withImageSize(imageSize).withSeed(seed).withDevice(device)
          .withPrecision(Precision.parse(precision));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    TrainStepBenchmark.Result r;
    try {
      r = TrainStepBenchmark.run(searchSpace, options);
    } catch (UnsupportedOperationException e) { // a family that computes in fp32 only, asked for bf16
      throw new CliException(e.getMessage());
    }
    ObjectNode json = JSON.valueToTree(r);
    json.set("architecture", searchSpace.writeArchitecture(r.architecture()));
    json.put("architecture_id", r.architecture().id());
    json.put("precision", r.precision().id());
    json.put("timestamp", Instant.now().toString());
    json.put("ld_preload", String.valueOf(System.getenv("LD_PRELOAD")));
    json.put("malloc_conf", String.valueOf(System.getenv("MALLOC_CONF")));
    json.put("mkl_cpu_dispatch", MklCpuDispatch.state());
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("train-step %s %s %s batch %d image %d threads %d: step %.1f ms (median %.1f), forward %.1f,"
        + " backward %.1f, update %.1f ms (means); %.2f images/s; peak RSS %d MiB; RSS first/last %d/%d MiB%n",
        r.space(), r.architecture().id(), r.precision().id(), r.batch(), r.imageSize(), r.threads(), r.step().meanMs(),
        r.step().medianMs(), r.forward().meanMs(), r.backward().meanMs(), r.update().meanMs(),
        r.imagesPerSecond(), r.peakRssKib() / 1024, r.rssAfterStepKib().get(0) / 1024,
        r.rssAfterStepKib().get(r.rssAfterStepKib().size() - 1) / 1024);
    if (out != null) {
      try {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(out, JSON.writeValueAsString(json) + System.lineSeparator());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      stdout.println("wrote " + out);
    }
    stdout.flush();
  }
}
