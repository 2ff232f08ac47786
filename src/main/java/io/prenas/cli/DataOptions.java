package io.prenas.cli;

import io.prenas.data.DataSplit;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that read images ({@code train}, {@code eval}): where, how to split, how fast. */
final class DataOptions {

  @Option(names = "--data", required = true, paramLabel = "<dir>",
      description = "IDX folder (train-*/t10k-*) or ImageFolder (class folders, or train/ and val/).")
  Path data;

  @Option(names = "--val-fraction", defaultValue = "0.1",
      description = "Held-out fraction when the data has no validation set (default ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--loader-threads", defaultValue = "2", description = "Image decoding threads.")
  int loaderThreads;

  @Option(names = "--threads", defaultValue = "0", description = "Compute threads (0 = engine default).")
  int threads;

  /** Applies {@code --threads} and opens the data, split with {@code seed}. */
  DataSplit open(long seed) throws IOException {
    EngineOptions.threads(threads);
    return DataSplit.open(data, valFraction, seed);
  }
}
