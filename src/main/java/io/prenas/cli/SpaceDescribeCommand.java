package io.prenas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prenas.space.LayerwiseChoices;
import io.prenas.space.ModelSettings;
import io.prenas.space.PythonFloat;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceSummary;
import io.prenas.space.SupernetDims;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code space describe <space|file>}: the supernet, model settings, choices, size and resource range of a space. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Describe a search space: a built-in name (autoformer-tiny, autoformer-small, autoformer-base) "
        + "or a YAML file.")
final class SpaceDescribeCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<space|file>", description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  @Override
  public void run() {
    SpaceSummary summary = SpaceSummary.of(SearchSpaces.resolve(space));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(JSON.writeValueAsString(summary.toJson()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e); // a plain tree always serialises
      }
    } else {
      printText(summary, out);
    }
    out.flush();
  }

  private static void printText(SpaceSummary summary, PrintWriter out) {
    SearchSpace s = summary.space();
    SupernetDims sn = s.supernet();
    ModelSettings m = s.model();
    line(out, "name", s.name());
    line(out, "shape", s.isLayerwise() ? "layer-wise (per embed dim, per layer choices)" : "flat");
    line(out, "supernet", "embed_dim " + sn.embedDim() + ", depth " + sn.depth() + ", num_heads " + sn.numHeads()
        + ", mlp_ratio " + PythonFloat.repr(sn.mlpRatio()));
    line(out, "model", "image " + m.imageSize() + ", patch " + m.patchSize() + " (" + m.numPatches()
        + " patches), in_chans " + m.inChans() + ", classes " + m.numClasses() + ", max_relative_position "
        + m.maxRelativePosition());
    line(out, "embed_dim", join(s.embedDims()));
    if (s.isLayerwise()) {
      for (Map.Entry<Integer, LayerwiseChoices> entry : s.layerwise().entrySet()) {
        LayerwiseChoices c = entry.getValue();
        out.println("  embed_dim " + entry.getKey() + ": depth " + join(c.depths()));
        for (int i = 0; i < c.maxDepth(); i++) {
          out.printf("    layer %2d: mlp_ratio %s; num_heads %s%n", i, join(c.mlpRatiosPerLayer().get(i)),
              join(c.numHeadsPerLayer().get(i)));
        }
      }
    } else {
      line(out, "depth", join(s.depths()));
      line(out, "mlp_ratio", join(s.mlpRatios()));
      line(out, "num_heads", join(s.numHeads()));
    }
    line(out, "architectures", summary.architectures().toString());
    line(out, "isomer groups", summary.isomerGroups() + (s.isLayerwise()
        ? " (reachable; the reference enumerates flat spaces only)" : ""));
    line(out, "params", summary.range().minParams() + " .. " + summary.range().maxParams() + " ("
        + summary.range().minParams() / 1e6 + " M .. " + summary.range().maxParams() / 1e6 + " M)");
    line(out, "flops", SpaceSummary.exact(summary.range().minFlops()).toPlainString() + " .. "
        + SpaceSummary.exact(summary.range().maxFlops()).toPlainString() + String.format(" (%.3f G .. %.3f G)",
        summary.range().minFlops() / 1e9, summary.range().maxFlops() / 1e9));
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-15s %s%n", label + ":", value);
  }

  private static String join(List<? extends Number> values) {
    return values.stream().map(v -> v instanceof Double d ? PythonFloat.repr(d) : v.toString())
        .collect(Collectors.joining(", "));
  }
}
