package io.prenas.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.SearchSpace;
import java.util.Iterator;
import java.util.Map;

import io.prenas.fileio.AtomicFiles;
import io.prenas.space.Architecture;
import io.prenas.space.PythonFloat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a selection as a preferred-architecture file in the reference's format (spec 4.6): an object whose keys
 * are the bins' upper bounds as Python {@code str} ({@code "6.0"}), ascending, empty bins omitted; each value a list
 * of the architecture's config in its family's format (for a ViT {@code {layer_num, mlp_ratio, num_heads, embed_dim}})
 * followed by {@code num_params} (in M) and {@code score}. The layout is Python's {@code json.dump(indent=2)}, so a
 * reference tool can read the file unchanged.
 *
 * <p>Each entry also carries fields the reference does not write and its readers ignore: {@code params} (exact
 * count), {@code flops}, {@code bin_lower}, {@code bin_upper} (bin units), {@code bin_by}, {@code isomer_group_size}
 * and {@code id}.
 */
public final class PreferredJson {

  private PreferredJson() {}

  /** The file's text. */
  public static String format(Selection selection, SearchSpace space) {
    StringBuilder out = new StringBuilder("{");
    List<Selection.BinResult> bins = selection.nonEmptyBins();
    for (int b = 0; b < bins.size(); b++) {
      Selection.BinResult bin = bins.get(b);
      out.append(b == 0 ? "\n" : ",\n").append("  ").append(string(bin.bin().key())).append(": [");
      List<ScoredCandidate> top = bin.top();
      for (int i = 0; i < top.size(); i++) {
        out.append(i == 0 ? "\n" : ",\n");
        entry(out, top.get(i), bin, selection.settings(), space);
      }
      out.append("\n  ]");
    }
    return out.append(bins.isEmpty() ? "}" : "\n}").toString();
  }

  /** Writes the file atomically: a temporary file beside the target, then a rename over it. */
  public static void write(Path file, Selection selection, SearchSpace space) throws IOException {
    AtomicFiles.writeString(file, AtomicFiles.Sync.NONE, format(selection, space));
  }

  private static void entry(StringBuilder out, ScoredCandidate c, Selection.BinResult bin, SelectionSettings s,
      SearchSpace space) {
    Architecture a = c.architecture();
    String in = "      ";
    out.append("    {\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = space.writeArchitecture(a).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      out.append(in).append(string(field.getKey())).append(": ");
      value(out, field.getValue(), in);
      out.append(",\n");
    }
    out.append(in).append("\"num_params\": ").append(PythonFloat.repr(c.params() / 1e6)).append(",\n");
    out.append(in).append("\"score\": ").append(PythonFloat.repr(c.score())).append(",\n");
    out.append(in).append("\"params\": ").append(c.params()).append(",\n");
    out.append(in).append("\"flops\": ").append(PythonFloat.repr(c.flops())).append(",\n");
    out.append(in).append("\"bin_lower\": ").append(PythonFloat.repr(bin.bin().lower())).append(",\n");
    out.append(in).append("\"bin_upper\": ").append(PythonFloat.repr(bin.bin().upper())).append(",\n");
    out.append(in).append("\"bin_by\": ").append(string(s.binByName())).append(",\n");
    out.append(in).append("\"isomer_group_size\": ").append(c.isomerGroupSize()).append(",\n");
    out.append(in).append("\"id\": ").append(string(a.id())).append("\n");
    out.append("    }");
  }

  /** A config value as {@code json.dump(indent=2)} writes it: floats in Python's repr, lists one item per line. */
  private static void value(StringBuilder out, JsonNode node, String indent) {
    if (node.isArray()) {
      String inner = indent + "  ";
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "\n" : ",\n").append(inner);
        value(out, node.get(i), inner);
      }
      out.append(node.isEmpty() ? "]" : "\n" + indent + "]");
    } else if (node.isObject()) {
      String inner = indent + "  ";
      out.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); first = false) {
        Map.Entry<String, JsonNode> field = it.next();
        out.append(first ? "\n" : ",\n").append(inner).append(string(field.getKey())).append(": ");
        value(out, field.getValue(), inner);
      }
      out.append(first ? "}" : "\n" + indent + "}");
    } else if (node.isFloatingPointNumber()) {
      out.append(PythonFloat.repr(node.doubleValue()));
    } else if (node.isTextual()) {
      out.append(string(node.textValue()));
    } else {
      out.append(node.toString()); // integers, booleans, null
    }
  }

  private static String string(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (ch < 0x20 || ch > 0x7e) {
            b.append(String.format("\\u%04x", (int) ch)); // json.dump's ensure_ascii
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
