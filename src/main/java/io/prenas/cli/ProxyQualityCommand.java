package io.prenas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.selector.ProxyQuality;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxy-quality}: how well the zero-cost scores of a selection file rank the accuracies measured by
 * {@code eval} (paper Appendix A): Kendall's tau-b over all measured architectures and within each bin, and the
 * mean best rank (mBR) of the proxy over the bins.
 */
@Command(name = "proxy-quality", mixinStandardHelpOptions = true,
    description = "Kendall tau and mBR of the selector's scores against measured accuracies.")
final class ProxyQualityCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--scores", required = true, paramLabel = "<preferred.json>",
      description = "A select output (entries with id and score, grouped by bin; use a large --top to keep all).")
  Path scores;

  @Option(names = "--results", required = true, paramLabel = "<results.json>",
      description = "An eval results file (entries with id and acc1).")
  Path results;

  @Override
  public void run() {
    ObjectMapper json = new ObjectMapper();
    try {
      JsonNode scoreTree = json.readTree(scores.toFile());
      JsonNode resultTree = json.readTree(results.toFile());
      if (scoreTree == null || !scoreTree.isObject()) {
        throw new CliException(scores + ": expected a select output (an object of bins)");
      }
      if (resultTree == null || !resultTree.isArray()) {
        throw new CliException(results + ": expected an eval results array");
      }
      Map<String, Double> accuracy = new HashMap<>();
      resultTree.forEach(r -> accuracy.put(r.path("id").asText(), r.path("acc1").asDouble()));
      Map<String, List<ProxyQuality.Observation>> byBin = new LinkedHashMap<>();
      List<ProxyQuality.Observation> all = new ArrayList<>();
      scoreTree.fields().forEachRemaining(bin -> bin.getValue().forEach(entry -> {
        Double acc = accuracy.get(entry.path("id").asText());
        if (acc != null) {
          ProxyQuality.Observation o = new ProxyQuality.Observation(acc, entry.path("score").asDouble());
          byBin.computeIfAbsent(bin.getKey(), k -> new ArrayList<>()).add(o);
          all.add(o);
        }
      }));
      if (all.size() < 2) {
        throw new CliException("fewer than two architectures appear in both " + scores + " and " + results
            + " (matched by id)");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%-10s %6s %10s%n", "bin", "archs", "tau-b");
      byBin.forEach((bin, obs) -> out.printf(Locale.ROOT, "%-10s %6d %10s%n", bin, obs.size(), tau(obs)));
      out.printf(Locale.ROOT, "%-10s %6d %10s%n", "all", all.size(), tau(all));
      List<List<ProxyQuality.Observation>> groups = byBin.values().stream().filter(g -> g.size() > 1).toList();
      out.printf(Locale.ROOT, "mBR over %d bins: %s%n", groups.size(),
          groups.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.4f", ProxyQuality.meanBestRank(groups)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tau(List<ProxyQuality.Observation> obs) {
    try {
      return String.format(Locale.ROOT, "%.4f", ProxyQuality.kendallTauB(obs));
    } catch (IllegalArgumentException e) {
      return "n/a";
    }
  }
}
