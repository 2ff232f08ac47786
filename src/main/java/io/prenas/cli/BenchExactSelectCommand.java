package io.prenas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.fileio.AtomicFiles;
import io.prenas.selector.SelectionBenchmark;
import io.prenas.selector.SelectorException;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench select-exact}: a family's exact per-bin selector (the CNN family's top-N per FLOPs bin) on synthetic
 * weights and gradients at the supernet's shapes: table build times, then each bin's query time (median and max of
 * {@code --repeats}). A family without such a selector (ViT: it scores one candidate per isomer group, see
 * {@code bench select}) is bad input naming the missing port.
 */
@Command(name = "select-exact", mixinStandardHelpOptions = true,
    description = "Benchmark an exact per-bin selector (CNN spaces): table build time and per-bin query times.")
final class BenchExactSelectCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", defaultValue = "bignas-mbv2", description = "Space (default ${DEFAULT-VALUE}).")
  String space;

  @Option(names = "--bin-by", defaultValue = "flops", description = "flops or params (default ${DEFAULT-VALUE}).")
  String binBy;

  @Option(names = "--min", defaultValue = "100M", description = "Lower bound, K/M/G suffix (default ${DEFAULT-VALUE}).")
  String min;

  @Option(names = "--max", defaultValue = "1100M", description = "Upper bound (default ${DEFAULT-VALUE}).")
  String max;

  @Option(names = "--interval", defaultValue = "100M", description = "Bin width (default ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--top", defaultValue = "2", description = "Architectures per bin (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic tensors (default 0).")
  long seed;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed queries per bin first (default 20).")
  int warmup;

  @Option(names = "--repeats", defaultValue = "50", description = "Timed queries per bin (default 50).")
  int repeats;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for the partial sums (0 = all cores).")
  int threads;

  @Option(names = "--out", paramLabel = "<results.json>", description = "Results file (JSON).")
  Path out;

  @Override
  public void run() {
    try {
      SearchSpace searchSpace = SearchSpaces.resolve(space);
      SelectionBenchmark bench = ModelFamilies.port(searchSpace, SelectionBenchmark.class);
      ObjectNode result = bench.run(searchSpace, new SelectionBenchmark.Settings(
          SelectCommand.settings(binBy, min, max, interval, top), seed, warmup, repeats,
          SelectCommand.threads(threads)));
      result.put("min", min);
      result.put("max", max);
      result.put("interval", interval);
      String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
      PrintWriter printer = spec.commandLine().getOut();
      printer.println(text);
      printer.flush();
      if (out != null) AtomicFiles.writeString(out, AtomicFiles.Sync.NONE, text + "\n");
    } catch (SelectorException | SpaceException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
