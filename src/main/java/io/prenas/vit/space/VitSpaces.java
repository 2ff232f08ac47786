package io.prenas.vit.space;

import static io.prenas.space.ConfigTree.join;
import static io.prenas.space.ConfigTree.mapping;
import static io.prenas.space.ConfigTree.positiveInt;
import static io.prenas.space.ConfigTree.positiveIntList;
import static io.prenas.space.ConfigTree.positiveNumber;
import static io.prenas.space.ConfigTree.positiveNumberList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ConfigTree;
import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Reads the body of a ViT space file in the reference's format (the generic {@link io.prenas.space.SpaceLoader} has
 * parsed the YAML and taken off the {@code TYPE} key): {@code SUPERNET}, {@code SEARCH_SPACE} (flat AutoFormer lists
 * or the layer-wise per-embedding-width form) and the optional {@code MODEL} section. Every error is a
 * {@link SpaceException} whose key is the path of the value at fault.
 */
public final class VitSpaces {

  private static final String SUPERNET = "SUPERNET";
  private static final String SEARCH_SPACE = "SEARCH_SPACE";
  private static final String MODEL = "MODEL";
  private static final String EMBED_DIM = "EMBED_DIM";
  private static final String DEPTH = "DEPTH";
  private static final String NUM_HEADS = "NUM_HEADS";
  private static final String MLP_RATIO = "MLP_RATIO";
  private static final List<String> CHOICE_KEYS = List.of(EMBED_DIM, DEPTH, MLP_RATIO, NUM_HEADS);

  private VitSpaces() {}

  public static VitSpace read(String name, JsonNode root) {
    ObjectNode top = mapping(root, "", List.of(SUPERNET, SEARCH_SPACE), List.of(MODEL));
    SupernetDims supernet = readSupernet(top.get(SUPERNET));
    ModelSettings model = top.has(MODEL) ? readModel(top.get(MODEL)) : ModelSettings.IMAGENET;
    ObjectNode search = mapping(top.get(SEARCH_SPACE), SEARCH_SPACE, CHOICE_KEYS, List.of());
    SupernetBounds bounds = new SupernetBounds(supernet);

    List<Integer> embedDims = positiveIntList(search.get(EMBED_DIM), SEARCH_SPACE + "." + EMBED_DIM);
    bounds.checkEmbedDims(embedDims, SEARCH_SPACE + "." + EMBED_DIM);
    // candidates_to_choices.py writes DEPTH as a map keyed by embed dim; AutoFormer files write a list.
    if (search.get(DEPTH).isObject()) {
      return readLayerwise(name, supernet, model, embedDims, search, bounds);
    }
    for (String key : List.of(MLP_RATIO, NUM_HEADS)) {
      if (search.get(key).isObject()) {
        throw new SpaceException(SEARCH_SPACE + "." + key,
            "is a per-embed-dim mapping but SEARCH_SPACE.DEPTH is a list; a layer-wise space needs mappings for all three");
      }
    }
    List<Integer> depths = positiveIntList(search.get(DEPTH), SEARCH_SPACE + "." + DEPTH);
    bounds.checkDepths(depths, SEARCH_SPACE + "." + DEPTH);
    List<Double> ratios = positiveNumberList(search.get(MLP_RATIO), SEARCH_SPACE + "." + MLP_RATIO);
    bounds.checkRatios(ratios, SEARCH_SPACE + "." + MLP_RATIO);
    List<Integer> heads = positiveIntList(search.get(NUM_HEADS), SEARCH_SPACE + "." + NUM_HEADS);
    bounds.checkHeads(heads, SEARCH_SPACE + "." + NUM_HEADS);
    return new VitSpace(name, supernet, model, embedDims, depths, ratios, heads, Map.of());
  }

  private static SupernetDims readSupernet(JsonNode node) {
    ObjectNode section = mapping(node, SUPERNET, CHOICE_KEYS, List.of());
    return new SupernetDims(
        positiveInt(section.get(EMBED_DIM), SUPERNET + "." + EMBED_DIM),
        positiveInt(section.get(DEPTH), SUPERNET + "." + DEPTH),
        positiveInt(section.get(NUM_HEADS), SUPERNET + "." + NUM_HEADS),
        positiveNumber(section.get(MLP_RATIO), SUPERNET + "." + MLP_RATIO));
  }

  private static ModelSettings readModel(JsonNode node) {
    ModelSettings d = ModelSettings.IMAGENET;
    ObjectNode section = mapping(node, MODEL, List.of(),
        List.of("IMAGE_SIZE", "PATCH_SIZE", "IN_CHANS", "NUM_CLASSES", "MAX_RELATIVE_POSITION"));
    return new ModelSettings(
        optionalInt(section, "IMAGE_SIZE", d.imageSize()),
        optionalInt(section, "PATCH_SIZE", d.patchSize()),
        optionalInt(section, "IN_CHANS", d.inChans()),
        optionalInt(section, "NUM_CLASSES", d.numClasses()),
        optionalInt(section, "MAX_RELATIVE_POSITION", d.maxRelativePosition()));
  }

  private static int optionalInt(ObjectNode section, String key, int fallback) {
    return section.has(key) ? positiveInt(section.get(key), MODEL + "." + key) : fallback;
  }

  private static VitSpace readLayerwise(String name, SupernetDims supernet, ModelSettings model,
      List<Integer> embedDims, ObjectNode search, SupernetBounds bounds) {
    Map<Integer, JsonNode> depthNodes = perEmbedDim(search.get(DEPTH), DEPTH, embedDims);
    Map<Integer, JsonNode> ratioNodes = perEmbedDim(search.get(MLP_RATIO), MLP_RATIO, embedDims);
    Map<Integer, JsonNode> headNodes = perEmbedDim(search.get(NUM_HEADS), NUM_HEADS, embedDims);
    Map<Integer, LayerwiseChoices> layerwise = new LinkedHashMap<>();
    for (int e : embedDims) {
      String depthPath = SEARCH_SPACE + "." + DEPTH + "." + e;
      List<Integer> depths = positiveIntList(depthNodes.get(e), depthPath);
      bounds.checkDepths(depths, depthPath);
      int deepest = depths.stream().mapToInt(Integer::intValue).max().orElseThrow();
      List<List<Double>> ratios = perLayer(ratioNodes.get(e), SEARCH_SPACE + "." + MLP_RATIO + "." + e, deepest,
          (node, path) -> {
            List<Double> values = positiveNumberList(node, path);
            bounds.checkRatios(values, path);
            return values;
          });
      List<List<Integer>> heads = perLayer(headNodes.get(e), SEARCH_SPACE + "." + NUM_HEADS + "." + e, deepest,
          (node, path) -> {
            List<Integer> values = positiveIntList(node, path);
            bounds.checkHeads(values, path);
            return values;
          });
      layerwise.put(e, new LayerwiseChoices(depths, ratios, heads));
    }
    // The global lists are the unions, in ascending order, so code that only needs "which values occur" works on
    // both shapes.
    TreeSet<Integer> allDepths = new TreeSet<>();
    TreeSet<Double> allRatios = new TreeSet<>();
    TreeSet<Integer> allHeads = new TreeSet<>();
    for (LayerwiseChoices c : layerwise.values()) {
      allDepths.addAll(c.depths());
      c.mlpRatiosPerLayer().forEach(allRatios::addAll);
      c.numHeadsPerLayer().forEach(allHeads::addAll);
    }
    return new VitSpace(name, supernet, model, embedDims, new ArrayList<>(allDepths), new ArrayList<>(allRatios),
        new ArrayList<>(allHeads), layerwise);
  }

  /** A mapping keyed by embed dim that must hold exactly one entry per {@code SEARCH_SPACE.EMBED_DIM} value. */
  private static Map<Integer, JsonNode> perEmbedDim(JsonNode node, String key, List<Integer> embedDims) {
    String path = SEARCH_SPACE + "." + key;
    if (node == null || !node.isObject()) {
      throw new SpaceException(path, "must be a mapping keyed by embed dim in a layer-wise space (DEPTH is one), got "
          + ConfigTree.describe(node));
    }
    Map<Integer, JsonNode> byDim = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      int e = ConfigTree.intKey(entry.getKey(), path);
      if (!embedDims.contains(e)) {
        throw new SpaceException(join(path, entry.getKey()), "embed dim " + e + " is not in SEARCH_SPACE.EMBED_DIM "
            + embedDims);
      }
      if (byDim.put(e, entry.getValue()) != null) {
        throw new SpaceException(join(path, entry.getKey()), "duplicate entry for embed dim " + e);
      }
    }
    for (int e : embedDims) {
      if (!byDim.containsKey(e)) {
        throw new SpaceException(path, "no entry for embed dim " + e);
      }
    }
    return byDim;
  }

  /**
   * One choice list per layer. The count must equal the deepest depth of that embed dim: fewer would leave layers
   * without choices; more would describe layers no architecture of the space has, which is almost surely a mistake.
   */
  private static <T> List<List<T>> perLayer(JsonNode node, String path, int deepest,
      BiFunction<JsonNode, String, List<T>> readLayer) {
    JsonNode layers = ConfigTree.nonEmptyList(node, path);
    if (layers.size() != deepest) {
      throw new SpaceException(path, "has " + layers.size() + " per-layer lists but the deepest depth of this embed dim is "
          + deepest + (layers.size() < deepest ? " (too short)" : " (too long)"));
    }
    List<List<T>> result = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      result.add(readLayer.apply(layers.get(i), path + "[" + i + "]"));
    }
    return result;
  }

}
