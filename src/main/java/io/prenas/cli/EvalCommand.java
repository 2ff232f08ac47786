package io.prenas.cli;

import io.prenas.data.DataSplit;
import io.prenas.data.ImageSource;
import io.prenas.data.ImageSources;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.Precision;
import io.prenas.training.Checkpoint;
import io.prenas.training.Evaluator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code eval}: top-1, top-5 and loss of every preferred architecture on the validation data (spec 5.3). */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate every preferred architecture with trained supernet weights.")
final class EvalCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  DataOptions dataOptions;

  @Option(names = "--space", required = true, paramLabel = "<space|file>", description = "Built-in space or YAML file.")
  String space;

  @Option(names = "--weights", required = true, paramLabel = "<file>",
      description = "Supernet weights or a training checkpoint.")
  Path weights;

  @Option(names = "--preferred", required = true, paramLabel = "<preferred.json>", description = "Architectures.")
  Path preferred;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Results file (default: print only).")
  Path out;

  @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the hold-out split (use the training seed).")
  long seed;

  @Option(names = "--limit", defaultValue = "0",
      description = "Evaluate on the first N validation images only (0 = all), for quick proxy studies.")
  int limit;

  @Option(names = "--recalibration-batches", defaultValue = "8",
      description = "A family with BatchNorm (CNN): re-estimate each architecture's statistics on this many seeded "
          + "batches of training images first (0 = measure with the supernet's running statistics). Default "
          + "${DEFAULT-VALUE}.")
  int recalibrationBatches;

  @Option(names = "--recalibration-batch-size", defaultValue = "64",
      description = "Images per recalibration batch (default ${DEFAULT-VALUE}).")
  int recalibrationBatchSize;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the forward passes: fp32, or bf16 (mixed precision: float32 weights and"
          + " optimiser, bfloat16 matrix products; ViT spaces; default: ${DEFAULT-VALUE}).")
  String precision;

  @Override
  public void run() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      SearchSpace s = SearchSpaces.resolve(space);
      Precision p = Precision.parse(precision);
      List<ArchitectureEntry> archs = ArchitectureJson.read(preferred, s);
      DataSplit split = dataOptions.open(seed);
      if (limit < 0) {
        throw new CliException("--limit must be 0 (all) or positive, got " + limit);
      }
      ImageSource validation = limit == 0 ? split.validation() : ImageSources.first(split.validation(), limit);
      if (recalibrationBatches < 0 || recalibrationBatchSize < 1) {
        throw new CliException("--recalibration-batches must be 0 or positive and --recalibration-batch-size "
            + "positive");
      }
      io.prenas.training.Recalibration recalibration = recalibrationBatches == 0 ? null
          : new io.prenas.training.Recalibration(split::train, recalibrationBatches, recalibrationBatchSize, seed,
              dataOptions.loaderThreads);
      List<Evaluator.Measurement> results = new Evaluator(s, batch, dataOptions.loaderThreads).withPrecision(p)
          .evaluate(Checkpoint.readWeights(weights), archs, validation, recalibration, new ConsoleProgress(err), () -> false);
      if (out != null) {
        Evaluator.write(out, results);
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "%-6s %-8s %12s %14s %8s %8s %8s  %s%n", "index", "bin", "params", "flops", "top1", "top5",
          "loss", "architecture");
      for (Evaluator.Measurement m : results) {
        o.printf(Locale.ROOT, "%-6d %-8s %12d %14.0f %8.2f %8.2f %8.4f  %s%n", m.index(),
            m.bin() == null ? "-" : m.bin(), m.params(), m.flops(), m.acc1(), m.acc5(), m.loss(), m.id());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | UnsupportedOperationException e) { // bad input; bf16 on a CNN space
      throw new CliException(e.getMessage(), e);
    }
  }
}
