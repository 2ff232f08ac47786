package io.prenas.vit.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ConfigTree;
import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's ViT architecture config (spec 2.1):
 * {@code {"layer_num": D, "mlp_ratio": [r..], "num_heads": [h..], "embed_dim": [E]*D}}. Extra keys such as
 * {@code num_params} and {@code score} are ignored. {@code embed_dim} may be a number or a per-layer list, which must
 * be uniform because the residual adds need one width. Writing produces the reference style: {@code embed_dim} as a
 * list of D equal values and {@code mlp_ratio} as floats.
 */
public final class VitArchitectureJson {

  private VitArchitectureJson() {}

  /** True for a config object (it has {@code layer_num}), as opposed to a preferred-architecture file. */
  public static boolean isConfig(JsonNode node) {
    return node.isObject() && node.has("layer_num");
  }

  /** Reads one config object. */
  public static VitArchitecture readConfig(JsonNode config) {
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
    return new VitArchitecture(embedDim, depth, ratios, heads);
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
  public static ObjectNode toConfig(VitArchitecture arch) {
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

}
