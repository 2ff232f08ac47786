package io.prenas.cnn.space;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ResourceRange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a CNN space amounts to, for {@code space describe} (text and JSON) and the API: its settings and choices, the
 * number of architectures, the min and max architecture and the exact params and FLOPs range.
 */
record CnnSpaceSummary(CnnSpace space, BigInteger architectures, ResourceRange range) {

  static CnnSpaceSummary of(CnnSpace space) {
    return new CnnSpaceSummary(space, space.architectureCount(), space.resourceRange());
  }

  /** Machine-readable form: the neutral keys ({@code name, family, architectures, params, flops}), then the CNN's. */
  ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("name", space.name());
    root.put("family", space.family());
    root.put("architectures", architectures);
    ObjectNode params = root.putObject("params");
    params.put("min", range.minParams());
    params.put("max", range.maxParams());
    ObjectNode flops = root.putObject("flops");
    flops.put("min", (long) range.minFlops()); // MACs are integers in this family
    flops.put("max", (long) range.maxFlops());
    CnnModelSettings m = space.model();
    ObjectNode model = root.putObject("model");
    model.put("image_size", space.imageSize()); // the largest resolution: what a data pipeline must serve
    model.put("in_chans", m.inChans());
    model.put("num_classes", m.numClasses());
    model.put("activation", m.activation().yamlName());
    model.put("se", m.se());
    model.put("dropout", m.dropout());
    model.put("bn_eps", m.bnEps());
    model.put("bn_momentum", m.bnMomentum());
    ObjectNode choices = root.putObject("choices");
    ints(choices.putArray("resolution"), space.resolutions());
    ObjectNode stem = choices.putObject("stem");
    ints(stem.putArray("width"), space.stem().widths());
    stem.put("kernel", space.stem().kernel());
    stem.put("stride", space.stem().stride());
    ArrayNode stages = choices.putArray("stages");
    for (StageChoices s : space.stages()) {
      ObjectNode stage = stages.addObject();
      stage.put("op", CnnSpaceReader.MBCONV);
      stage.put("expand", s.expand());
      ints(stage.putArray("width"), s.widths());
      ints(stage.putArray("depth"), s.depths());
      ints(stage.putArray("kernel"), s.kernels());
      stage.put("stride", s.stride());
    }
    ints(choices.putObject("head").putArray("width"), space.headWidths());
    root.put("min_architecture", space.minArchitecture().id());
    root.put("max_architecture", space.maxArchitecture().id());
    return root;
  }

  /** The text of {@code space describe}: one labelled line per fact, one line per stage. */
  String toText() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    CnnModelSettings m = space.model();
    line(out, "name", space.name());
    line(out, "family", space.family() + " (MBConv stages; supernet = the largest choice everywhere)");
    line(out, "model", "in_chans " + m.inChans() + ", classes " + m.numClasses() + ", " + m.activation().yamlName()
        + ", SE " + (m.se() ? "on" : "off") + ", dropout " + m.dropout() + ", BN eps " + m.bnEps() + ", momentum "
        + m.bnMomentum());
    line(out, "resolution", join(space.resolutions()));
    line(out, "stem", "width " + join(space.stem().widths()) + "; kernel " + space.stem().kernel() + ", stride "
        + space.stem().stride());
    for (int s = 0; s < space.stages().size(); s++) {
      StageChoices stage = space.stages().get(s);
      out.printf("  stages.%d: MBConv%d, width %s; depth %s; kernel %s; stride %d%n", s, stage.expand(),
          join(stage.widths()), join(stage.depths()), join(stage.kernels()), stage.stride());
    }
    line(out, "head", "width " + join(space.headWidths()));
    line(out, "architectures", architectures.toString());
    line(out, "min", space.minArchitecture().id());
    line(out, "max", space.maxArchitecture().id());
    line(out, "params", range.minParams() + " .. " + range.maxParams() + String.format(Locale.ROOT,
        " (%.3f M .. %.3f M)", range.minParams() / 1e6, range.maxParams() / 1e6));
    line(out, "flops", (long) range.minFlops() + " .. " + (long) range.maxFlops() + String.format(Locale.ROOT,
        " MACs (%.1f M .. %.1f M)", range.minFlops() / 1e6, range.maxFlops() / 1e6));
    out.flush();
    return text.toString();
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-15s %s%n", label + ":", value);
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static void ints(ArrayNode array, List<Integer> values) {
    values.forEach(array::add);
  }
}
