package io.prenas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The reference's architecture config format (spec 2.1):
 * {@code {"layer_num": D, "mlp_ratio": [r..], "num_heads": [h..], "embed_dim": [E]*D}}.
 *
 * <p>Reading accepts a single config, a JSON array of configs, or a reference preferred-architecture file (an object
 * mapping bin keys to lists of configs, e.g. {@code interval_cands/tiny.json}); extra keys such as
 * {@code num_params} and {@code score} are ignored. {@code embed_dim} may be a number or a per-layer list, which must
 * be uniform because the residual adds need one width. Writing produces the reference style: {@code embed_dim} as a
 * list of D equal values and {@code mlp_ratio} as floats.
 */
public final class ArchitectureJson {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ArchitectureJson() {}

  /** Reads every architecture of a file, in file order. */
  public static List<ArchitectureEntry> read(Path file, SearchSpace space) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new SpaceException(null, "malformed JSON in " + file + where(e) + ": " + SpaceLoader.problem(e), e);
    }
    try {
      return fromTree(root, space);
    } catch (SpaceException e) {
      throw e.withContext("invalid architecture file " + file);
    }
  }

  /** Parses JSON text holding a config, a list of configs or a preferred-architecture file. */
  public static List<ArchitectureEntry> parse(String json, SearchSpace space) {
    try {
      return fromTree(JSON.readTree(json), space);
    } catch (JsonProcessingException e) {
      throw new SpaceException(null, "malformed JSON" + where(e) + ": " + SpaceLoader.problem(e), e);
    }
  }

  /** Reads the entries of an already parsed tree. */
  public static List<ArchitectureEntry> fromTree(JsonNode root, SearchSpace space) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SpaceException(null, "no JSON content");
    }
    List<ArchitectureEntry> entries = new ArrayList<>();
    if (root.isArray()) {
      for (JsonNode config : root) {
        entries.add(entry(entries.size(), null, config, space));
      }
    } else if (root.isObject() && space.isArchitectureConfig(root)) {
      entries.add(entry(0, null, root, space));
    } else if (root.isObject()) {
      // A preferred-architecture file: bin key -> list of configs, bins in file order.
      for (Iterator<Map.Entry<String, JsonNode>> bins = root.fields(); bins.hasNext(); ) {
        Map.Entry<String, JsonNode> bin = bins.next();
        if (!bin.getValue().isArray()) {
          throw new SpaceException(bin.getKey(), "expected a list of architecture configs under bin key \""
              + bin.getKey() + "\" (or one architecture config), got " + ConfigTree.describe(bin.getValue()));
        }
        for (JsonNode config : bin.getValue()) {
          entries.add(entry(entries.size(), bin.getKey(), config, space));
        }
      }
    } else {
      throw new SpaceException(null, "expected an architecture config, a list of configs or a preferred-architecture "
          + "object, got " + ConfigTree.describe(root));
    }
    return entries;
  }

  private static ArchitectureEntry entry(int index, String binKey, JsonNode config, SearchSpace space) {
    try {
      return new ArchitectureEntry(index, binKey, space.readArchitecture(binKey == null ? config
          : withoutSelectorMembers(config)));
    } catch (SpaceException e) {
      throw e.withContext("architecture " + ArchitectureEntry.label(index, binKey));
    }
  }

  /**
   * The members a preferred-architecture file adds to each config: the reference's {@code num_params} and
   * {@code score}, then what {@code select} ({@code selector.PreferredJson}) writes besides for every family.
   */
  public static final List<String> PREFERRED_ENTRY_MEMBERS = List.of("num_params", "score", "params", "flops",
      "bin_lower", "bin_upper", "bin_by", "isomer_group_size", "id");

  /**
   * An entry of a preferred-architecture file without the members the file adds: they are the file's, not the
   * config's, so a family whose configs refuse unknown keys (the CNN's) still reads the file.
   */
  private static JsonNode withoutSelectorMembers(JsonNode config) {
    if (!config.isObject()) return config;
    com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) config)
        .deepCopy();
    copy.remove(PREFERRED_ENTRY_MEMBERS);
    return copy;
  }

  /** A JSON array of the architectures' configs (the space's family format), pretty-printed. */
  public static String write(List<? extends Architecture> archs, SearchSpace space) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    archs.forEach(a -> array.add(space.writeArchitecture(a)));
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise architectures", e); // a plain tree always serialises
    }
  }

  /** Writes a JSON array of the architectures' configs to a file. */
  public static void write(Path file, List<? extends Architecture> archs, SearchSpace space) throws IOException {
    Files.writeString(file, write(archs, space) + System.lineSeparator());
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() <= 0 ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
