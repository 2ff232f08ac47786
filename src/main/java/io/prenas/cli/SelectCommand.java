package io.prenas.cli;

import io.prenas.selector.GradientSource;
import io.prenas.selector.PhaseTimes;
import io.prenas.selector.PreferredSelector;
import io.prenas.selector.PreferredJson;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.Resource;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.Precision;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code select}: the zero-cost selector (paper Eq. 8). Scores one greedily allocated architecture per isomer group
 * with SNIP, bins them by parameters or FLOPs and writes the best {@code --top} of each bin as a preferred-architecture
 * file in the reference's format, then prints them as a table.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = "Select preferred architectures per budget bin with the zero-cost SNIP selector.")
final class SelectCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>",
      description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--weights", paramLabel = "<init.safetensors>",
      description = "Supernet weights (reference key names). Default: the reference's seeded random init.")
  Path weights;

  @Option(names = "--grads", paramLabel = "<[R=]grads.safetensors>",
      description = "Stored gradients of the max architecture (needs --weights); skips the gradient pass. A CNN space "
          + "takes one gradient pass per resolution: repeat the option as R=FILE for every resolution R.")
  java.util.List<String> grads;

  @Option(names = "--batch", paramLabel = "<[R=]x.safetensors>",
      description = "Input batch for the gradient pass: tensor 'x' (B,C,H,W) and, for --loss ce, labels 'y'. A space "
          + "with several input sizes (CNN: one pass per resolution, summed cross-entropy, labels needed) resizes one "
          + "batch to each size, or takes one R=FILE per resolution R (repeat the option).")
  java.util.List<String> batch;

  @Option(names = "--data-free", description = "Gradient pass on Gaussian images (the default without --grads/--batch).")
  boolean dataFree;

  @Option(names = "--batch-size", defaultValue = "64", description = "Data-free batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--micro-batch", defaultValue = "" + GradientSource.DEFAULT_MICRO_BATCH,
      description = "Run the pass in micro-batches of this size and let autograd add up the gradients, to bound "
          + "memory (exact for the sum of logits; 0 = one pass). Default ${DEFAULT-VALUE}.")
  int microBatch;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the init, images and drop-path (default 0).")
  long seed;

  @Option(names = "--drop-path", defaultValue = "0.1", description = "Drop-path rate during the pass (default 0.1).")
  double dropPath;

  @Option(names = "--loss",
      description = "sum (sum of logits) or ce. Default: the space's reference loss (ViT: sum; CNN: the summed "
          + "cross-entropy of spec cnn-space §8, which is the only one it takes).")
  String loss;

  @Option(names = "--bin-by", defaultValue = "params",
      description = "params or flops. Bounds take a K/M/G suffix (3M, 1.5M: exact); a plain number is in M for "
          + "params and in G for FLOPs.")
  String binBy;

  @Option(names = "--min", required = true, description = "Lower bound of the first bin (e.g. 3M, or 0.5 = 0.5 G FLOPs).")
  String min;

  @Option(names = "--max", required = true, description = "Upper bound of the last bin.")
  String max;

  @Option(names = "--interval", required = true, description = "Bin width (the paper's margin).")
  String interval;

  @Option(names = "--top", defaultValue = "1", description = "Architectures kept per bin (default 1).")
  int top;

  @Option(names = "--score-compat", paramLabel = "reference",
      description = "'reference': score exactly as the reference's left_super_taylor6 (float32, no cls/pos/rel-pos, "
          + "head.bias[:E]). Default: Σ|θ·g| over exactly the subnet's parameters.")
  String scoreCompat;

  @Option(names = "--rank-by", defaultValue = "score",
      description = "score (PreNAS), or a baseline for comparison: params or flops (the largest per bin by that "
          + "measure) or random (uniform over the bin, seeded by --seed).")
  String rankBy;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for the partial sums (0 = all cores).")
  int threads;

  @Option(names = "--device", description = "Device of the gradient pass (cpu, gpu0); default the engine's.")
  String device;

  // no picocli default: given with --grads (no gradient pass to run) it is refused, not silently ignored
  @Option(names = "--precision", paramLabel = "fp32|bf16",
      description = "Number format of the gradient pass: fp32 (the reference's), or bf16 (mixed precision as in "
          + "train: float32 weights and gradients, bfloat16 matrix products; ViT spaces; default: fp32).")
  String precision;

  @Option(names = "--out", required = true, paramLabel = "<preferred.json>", description = "Output file.")
  Path out;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    SelectionSettings settings = settings(binBy, min, max, interval, top);
    ScoreMode mode = scoreMode(scoreCompat);
    PreferredSelector.Ranking ranking = ranking(rankBy);
    PhaseTimes times = new PhaseTimes();
    try {
      SnipInputs inputs = inputs(searchSpace, times);
      ZeroCostSelector.Outcome outcome = ZeroCostSelector.run(searchSpace, inputs, mode, settings,
          threads(threads), times, ranking, seed);
      Selection selection = outcome.selection();
      PreferredJson.write(out, selection, searchSpace);
      printTable(spec.commandLine().getOut(), selection);
      spec.commandLine().getOut().printf(Locale.ROOT, "%d architectures enumerated, %d outside the bins; wrote %s%n",
          outcome.selection().enumerated(), outcome.selection().outsideBins(), out);
      spec.commandLine().getOut().flush();
    } catch (SelectorException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SnipInputs inputs(SearchSpace searchSpace, PhaseTimes times) throws IOException {
    if (grads != null && !grads.isEmpty()) {
      if (weights == null) {
        throw new CliException("--grads needs --weights: the score is Σ|θ·g|, so the weights the gradients were "
            + "taken at are required");
      }
      if (batch != null || dataFree) {
        throw new CliException("--grads replaces the gradient pass; drop --batch/--data-free");
      }
      if (precision != null) {
        precision(precision); // a misspelt value is reported as such first
        throw new CliException("--grads replaces the gradient pass, so --precision (its number format) has nothing to "
            + "set; drop it");
      }
      GradientFiles files = GradientFiles.parse(grads);
      return files.single() != null ? GradientSource.fromFiles(weights, files.single())
          : GradientSource.fromFiles(weights, files.perResolution());
    }
    if (batch != null && !batch.isEmpty() && dataFree) {
      throw new CliException("give either --batch or --data-free, not both");
    }
    GradientFiles batches = batch == null ? new GradientFiles(null, java.util.Map.of())
        : GradientFiles.parse("--batch", batch);
    GradientSource.PassSettings settings = new GradientSource.PassSettings(weights, batches.single(), batchSize,
        microBatch, seed, dropPath, objective(loss), device, precision == null ? Precision.FP32 : precision(precision));
    if (batches.perResolution().isEmpty()) {
      return GradientSource.fromGradientPass(searchSpace, settings, times);
    }
    java.util.Map<Integer, GradientSource.Batch> byResolution = new java.util.TreeMap<>();
    for (java.util.Map.Entry<Integer, Path> e : batches.perResolution().entrySet()) {
      java.util.Map<String, io.prenas.tensorio.Tensor> t = io.prenas.tensorio.Safetensors.read(e.getValue()).tensors();
      if (!t.containsKey("x")) throw new CliException("--batch " + e.getValue() + " has no tensor 'x'");
      byResolution.put(e.getKey(), new GradientSource.Batch(t.get("x"), t.get("y")));
    }
    return GradientSource.fromGradientPass(searchSpace, settings, byResolution, times);
  }

  /** Settings from the bounds as typed: exact decimals, with a K/M/G suffix or in the resource's unit (M / G). */
  static SelectionSettings settings(String binBy, String min, String max, String interval, int top) {
    Resource resource = resource(binBy);
    try {
      return SelectionSettings.ofRaw(resource, BinBound.parse("--min", min, resource),
          BinBound.parse("--max", max, resource), BinBound.parse("--interval", interval, resource), top);
    } catch (SelectorException e) {
      throw new CliException(e.getMessage());
    }
  }

  private static Resource resource(String binBy) {
    return switch (binBy.toLowerCase(Locale.ROOT)) {
      case "params" -> Resource.PARAMS;
      case "flops" -> Resource.FLOPS;
      default -> throw new CliException("--bin-by must be params or flops, got '" + binBy + "'");
    };
  }

  static ScoreMode scoreMode(String compat) {
    if (compat == null) return ScoreMode.SUBNET;
    try {
      return ScoreMode.parse(compat);
    } catch (SelectorException e) {
      throw new CliException("--score-compat: " + e.getMessage());
    }
  }

  static PreferredSelector.Ranking ranking(String name) {
    try {
      return PreferredSelector.Ranking.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException("--rank-by must be score, params, flops or random, got '" + name + "'");
    }
  }

  static Precision precision(String text) {
    try {
      return Precision.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("--precision: " + e.getMessage());
    }
  }

  static GradientPass.Objective objective(String loss) {
    if (loss == null) return null;
    return switch (loss.toLowerCase(Locale.ROOT)) {
      case "sum" -> GradientPass.Objective.SUM_OF_LOGITS;
      case "ce" -> GradientPass.Objective.CROSS_ENTROPY;
      default -> throw new CliException("--loss must be sum or ce, got '" + loss + "'");
    };
  }

  static int threads(int requested) {
    if (requested < 0) throw new CliException("--threads must not be negative");
    return requested == 0 ? Runtime.getRuntime().availableProcessors() : requested;
  }

  /** One line per kept architecture: bin, id, params, FLOPs, score, isomer group size. */
  static void printTable(PrintWriter out, Selection selection) {
    String unit = selection.settings().binBy() == Resource.PARAMS ? "M" : "G";
    out.printf(Locale.ROOT, "%-14s %-48s %12s %16s %20s %12s%n", "bin (" + unit + ")", "architecture", "params",
        "FLOPs", "score", "group size");
    for (Selection.BinResult bin : selection.nonEmptyBins()) {
      String range = "[" + trim(bin.bin().lower()) + "," + trim(bin.bin().upper()) + ")";
      for (ScoredCandidate c : bin.top()) {
        out.printf(Locale.ROOT, "%-14s %-48s %,12d %,16.0f %20.6f %12d%n", range, c.architecture().id(), c.params(),
            c.flops(), c.score(), c.isomerGroupSize());
      }
    }
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
