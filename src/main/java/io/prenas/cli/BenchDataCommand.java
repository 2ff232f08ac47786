package io.prenas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.data.DataLoadBenchmark;
import io.prenas.data.JpegDecoder;
import io.prenas.data.JpegFolderMaker;
import io.prenas.fileio.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench data}: images per second of the training data path (JPEG decode plus the training transform) on an
 * ImageFolder, with N decoding workers, and the decode / transform split. {@code --make-images} first writes a
 * synthetic JPEG ImageFolder (the same files then feed the reference's loader, {@code docs/bench/ref_data.py}).
 */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Time JPEG decode + training transform on an ImageFolder (images/s, per worker).")
final class BenchDataCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "<dir>", description = "ImageFolder (class folders).")
  Path data;

  @Option(names = "--make-images", paramLabel = "<count>",
      description = "First write this many synthetic JPEGs (about 500x375, quality 90) into --data, then time.")
  Integer makeImages;

  @Option(names = "--classes", defaultValue = "10", description = "Classes of --make-images (default ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--workers", defaultValue = "1", description = "Decoding threads (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--images", defaultValue = "500", description = "Timed images (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--warmup", defaultValue = "300", description = "Untimed images first: the JIT needs a few hundred "
      + "(default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--size", defaultValue = "224", description = "Input size (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--decoder", defaultValue = "opencv", description = "JPEG decoder: opencv or imageio "
      + "(default ${DEFAULT-VALUE}).")
  String decoder;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the visiting order, crops and flips.")
  long seed;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Write the results as JSON here.")
  Path out;

  @Override
  public void run() {
    JpegDecoder jpeg;
    try {
      jpeg = JpegDecoder.parse(decoder);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      if (makeImages != null) {
        long bytes = JpegFolderMaker.make(data, makeImages, classes, seed);
        stdout.printf("wrote %d JPEGs in %d classes under %s (%.1f KiB each)%n", makeImages, classes, data,
            bytes / 1024.0 / makeImages);
      }
      DataLoadBenchmark.Result r;
      try {
        r = DataLoadBenchmark.run(data, jpeg, workers, images, size, warmup, seed);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      stdout.printf("data %s (ran %s) workers %d of %d cores, %d images at %d: %.1f images/s, %.1f per worker;"
          + " decode %.2f ms, transform %.2f ms per image; %d failed%n", r.decoder(), r.effectiveDecoder(),
          r.workers(), r.cores(), r.images(), r.size(), r.imagesPerSecond(), r.imagesPerSecondPerWorker(),
          r.decodeMsPerImage(), r.transformMsPerImage(), r.failed().size());
      if (out != null) {
        ObjectNode json = JSON.valueToTree(r);
        json.put("data", data.toString());
        json.put("timestamp", Instant.now().toString());
        String reason = JpegDecoder.openCvUnavailableReason();
        if (reason != null) {
          json.put("opencvUnavailable", reason);
        }
        AtomicFiles.writeString(out, AtomicFiles.Sync.NONE, JSON.writeValueAsString(json) + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
