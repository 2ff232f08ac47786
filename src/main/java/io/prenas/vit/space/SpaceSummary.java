package io.prenas.vit.space;

import io.prenas.space.PythonFloat;

import java.util.stream.Collectors;

import java.util.Map;

import java.io.StringWriter;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ResourceRange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * What a space amounts to: how many architectures, how many isomer groups, and the parameter and FLOPs range. Shared
 * by the CLI's {@code space describe} and any HTTP view of a space, so both report the same numbers.
 *
 * @param isomerGroups for a flat space the groups the reference enumerates; for a layer-wise space the reachable
 *     groups (see {@link IsomerEnumerator#countGroups})
 */
public record SpaceSummary(VitSpace space, BigInteger architectures, long isomerGroups,
    ResourceRange range) {

  public static SpaceSummary of(VitSpace space) {
    return new SpaceSummary(space, space.architectureCount(), IsomerEnumerator.countGroups(space),
        Complexity.range(space));
  }

  /** Machine-readable form (snake_case keys; FLOPs are exact multiples of 0.5, written without exponent). */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("name", space.name());
    root.put("family", space.family());
    root.put("layerwise", space.isLayerwise());
    ObjectNode supernet = root.putObject("supernet");
    supernet.put("embed_dim", space.supernet().embedDim());
    supernet.put("depth", space.supernet().depth());
    supernet.put("num_heads", space.supernet().numHeads());
    supernet.put("mlp_ratio", space.supernet().mlpRatio());
    ObjectNode model = root.putObject("model");
    ModelSettings m = space.model();
    model.put("image_size", m.imageSize());
    model.put("patch_size", m.patchSize());
    model.put("in_chans", m.inChans());
    model.put("num_classes", m.numClasses());
    model.put("max_relative_position", m.maxRelativePosition());
    model.put("num_patches", m.numPatches());
    ObjectNode choices = root.putObject("choices");
    putList(choices.putArray("embed_dim"), space.embedDims());
    putList(choices.putArray("depth"), space.depths());
    putList(choices.putArray("mlp_ratio"), space.mlpRatios());
    putList(choices.putArray("num_heads"), space.numHeads());
    if (space.isLayerwise()) {
      ObjectNode perDim = root.putObject("layerwise_choices");
      space.layerwise().forEach((e, c) -> {
        ObjectNode entry = perDim.putObject(Integer.toString(e));
        putList(entry.putArray("depth"), c.depths());
        ArrayNode ratios = entry.putArray("mlp_ratio");
        c.mlpRatiosPerLayer().forEach(layer -> putList(ratios.addArray(), layer));
        ArrayNode heads = entry.putArray("num_heads");
        c.numHeadsPerLayer().forEach(layer -> putList(heads.addArray(), layer));
      });
    }
    root.put("architectures", architectures);
    root.put("isomer_groups", isomerGroups);
    ObjectNode params = root.putObject("params");
    params.put("min", range.minParams());
    params.put("max", range.maxParams());
    ObjectNode flops = root.putObject("flops");
    flops.put("min", exact(range.minFlops()));
    flops.put("max", exact(range.maxFlops()));
    return root;
  }

  /** An exact decimal of a double, so 1379653176.0 is written as 1379653176 rather than 1.379653176E9. */
  public static BigDecimal exact(double value) {
    return new BigDecimal(value);
  }

  private static void putList(ArrayNode array, List<? extends Number> values) {
    for (Number v : values) {
      if (v instanceof Double d) {
        array.add(d);
      } else {
        array.add(v.intValue());
      }
    }
  }

  /** The text of {@code space describe}: one labelled line per fact, the choices layer by layer. */
  public String toText() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    VitSpace s = space;
    SpaceSummary summary = this;
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
    line(out, "flops", exact(summary.range().minFlops()).toPlainString() + " .. "
        + exact(summary.range().maxFlops()).toPlainString() + String.format(" (%.3f G .. %.3f G)",
        summary.range().minFlops() / 1e9, summary.range().maxFlops() / 1e9));
    out.flush();
    return text.toString();
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-15s %s%n", label + ":", value);
  }

  private static String join(List<? extends Number> values) {
    return values.stream().map(v -> v instanceof Double d ? PythonFloat.repr(d) : v.toString())
        .collect(Collectors.joining(", "));
  }
}
