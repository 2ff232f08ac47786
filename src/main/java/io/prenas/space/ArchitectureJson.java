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
  public static List<ArchitectureEntry> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new SpaceException(null, "malformed JSON in " + file + where(e) + ": " + SpaceLoader.problem(e), e);
    }
    try {
      return fromTree(root);
    } catch (SpaceException e) {
      throw e.withContext("invalid architecture file " + file);
    }
  }

  /** Parses JSON text holding a config, a list of configs or a preferred-architecture file. */
  public static List<ArchitectureEntry> parse(String json) {
    try {
      return fromTree(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new SpaceException(null, "malformed JSON" + where(e) + ": " + SpaceLoader.problem(e), e);
    }
  }

  /** Reads the entries of an already parsed tree. */
  public static List<ArchitectureEntry> fromTree(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SpaceException(null, "no JSON content");
    }
    List<ArchitectureEntry> entries = new ArrayList<>();
    if (root.isArray()) {
      for (JsonNode config : root) {
        entries.add(entry(entries.size(), null, config));
      }
    } else if (root.isObject() && root.has("layer_num")) {
      entries.add(entry(0, null, root));
    } else if (root.isObject()) {
      // A preferred-architecture file: bin key -> list of configs, bins in file order.
      for (Iterator<Map.Entry<String, JsonNode>> bins = root.fields(); bins.hasNext(); ) {
        Map.Entry<String, JsonNode> bin = bins.next();
        if (!bin.getValue().isArray()) {
          throw new SpaceException(bin.getKey(), "expected a list of architecture configs under bin key \""
              + bin.getKey() + "\" (or a config object with layer_num), got " + ConfigTree.describe(bin.getValue()));
        }
        for (JsonNode config : bin.getValue()) {
          entries.add(entry(entries.size(), bin.getKey(), config));
        }
      }
    } else {
      throw new SpaceException(null, "expected an architecture config, a list of configs or a preferred-architecture "
          + "object, got " + ConfigTree.describe(root));
    }
    return entries;
  }

  private static ArchitectureEntry entry(int index, String binKey, JsonNode config) {
    try {
      return new ArchitectureEntry(index, binKey, readConfig(config));
    } catch (SpaceException e) {
      throw e.withContext("architecture " + ArchitectureEntry.label(index, binKey));
    }
  }

  /** Reads one config object. */
  public static Architecture readConfig(JsonNode config) {
    ObjectNode object = ConfigTree.mapping(config, "architecture");
    int depth = ConfigTree.positiveInt(required(object, "layer_num"), "layer_num");
    int embedDim = readEmbedDim(required(object, "embed_dim"), depth);
    JsonNode ratioNodes = listOfLength(required(object, "mlp_ratio"), "mlp_ratio", depth);
    JsonNode headNodes = listOfLength(required(object, "num_heads"), "num_heads", depth);
    List<Double> ratios = new ArrayList<>();
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      ratios.add(ConfigTree.positiveNumber(ratioNodes.get(i), "mlp_ratio[" + i + "]"));
      heads.add(ConfigTree.positiveInt(headNodes.get(i), "num_heads[" + i + "]"));
    }
    return new Architecture(embedDim, depth, ratios, heads);
  }

  private static JsonNode required(ObjectNode object, String key) {
    JsonNode node = object.get(key);
    if (node == null) {
      throw new SpaceException(key, "missing");
    }
    return node;
  }

  private static int readEmbedDim(JsonNode node, int depth) {
    if (!node.isArray()) {
      return ConfigTree.positiveInt(node, "embed_dim");
    }
    listOfLength(node, "embed_dim", depth);
    int first = ConfigTree.positiveInt(node.get(0), "embed_dim[0]");
    for (int i = 1; i < depth; i++) {
      int e = ConfigTree.positiveInt(node.get(i), "embed_dim[" + i + "]");
      if (e != first) {
        throw new SpaceException("embed_dim", "must be uniform (the residual adds need one width), but layer " + i
            + " has " + e + " and layer 0 has " + first);
      }
    }
    return first;
  }

  private static JsonNode listOfLength(JsonNode node, String key, int depth) {
    if (!node.isArray()) {
      throw new SpaceException(key, "must be a list, got " + ConfigTree.describe(node));
    }
    if (node.size() != depth) {
      throw new SpaceException(key, "needs one value per layer (layer_num " + depth + "), got " + node.size());
    }
    return node;
  }

  /** The reference-style config object of an architecture. */
  public static ObjectNode toConfig(Architecture arch) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("layer_num", arch.depth());
    ArrayNode ratios = config.putArray("mlp_ratio");
    arch.mlpRatios().forEach(r -> ratios.add(r.doubleValue()));
    ArrayNode heads = config.putArray("num_heads");
    arch.numHeads().forEach(heads::add);
    ArrayNode widths = config.putArray("embed_dim");
    for (int i = 0; i < arch.depth(); i++) {
      widths.add(arch.embedDim());
    }
    return config;
  }

  /** A JSON array of reference-style configs, pretty-printed. */
  public static String write(List<Architecture> archs) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    archs.forEach(a -> array.add(toConfig(a)));
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise architectures", e); // a plain tree always serialises
    }
  }

  /** Writes a JSON array of reference-style configs to a file. */
  public static void write(Path file, List<Architecture> archs) throws IOException {
    Files.writeString(file, write(archs) + System.lineSeparator());
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() <= 0 ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
