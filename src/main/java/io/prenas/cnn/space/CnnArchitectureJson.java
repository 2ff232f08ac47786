package io.prenas.cnn.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ConfigTree;
import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNN architecture JSON of spec §2:
 * {@code {"resolution":224,"stem":32,"stages":[{"width":16,"depth":1,"kernels":[3]}, ...],"head":1280}}.
 * Unknown keys are an error (the spec says so, unlike the ViT reference format, which carries scores along).
 * Written objects keep the canonical key order, so their compact serialisation is the canonical JSON.
 */
public final class CnnArchitectureJson {

  private static final List<String> TOP_KEYS = List.of("resolution", "stem", "stages", "head");
  private static final List<String> STAGE_KEYS = List.of("width", "depth", "kernels");

  private CnnArchitectureJson() {}

  /** True for one architecture object (as opposed to a file of bins of them): it has the keys only a config has. */
  public static boolean isConfig(JsonNode node) {
    return node.isObject() && node.has("resolution") && node.has("stages");
  }

  /**
   * Reads one architecture object; errors name the field, e.g. {@code stages[2].kernels[1]}.
   *
   * @throws SpaceException naming the field at fault
   */
  public static CnnArchitecture read(JsonNode config) {
    ObjectNode object = ConfigTree.mapping(config, "", TOP_KEYS, List.of());
    int resolution = ConfigTree.positiveInt(object.get("resolution"), "resolution");
    int stem = ConfigTree.positiveInt(object.get("stem"), "stem");
    JsonNode stageNodes = ConfigTree.nonEmptyList(object.get("stages"), "stages");
    List<StageConfig> stages = new ArrayList<>();
    for (int s = 0; s < stageNodes.size(); s++) {
      stages.add(readStage(stageNodes.get(s), "stages[" + s + "]"));
    }
    int head = ConfigTree.positiveInt(object.get("head"), "head");
    return new CnnArchitecture(resolution, stem, stages, head);
  }

  private static StageConfig readStage(JsonNode node, String path) {
    ObjectNode stage = ConfigTree.mapping(node, path, STAGE_KEYS, List.of());
    int width = ConfigTree.positiveInt(stage.get("width"), path + ".width");
    int depth = ConfigTree.positiveInt(stage.get("depth"), path + ".depth");
    String kernelsPath = path + ".kernels";
    JsonNode kernelNodes = ConfigTree.nonEmptyList(stage.get("kernels"), kernelsPath);
    if (kernelNodes.size() != depth) {
      throw new SpaceException(kernelsPath, "needs one kernel per layer (depth " + depth + "), got "
          + kernelNodes.size());
    }
    List<Integer> kernels = new ArrayList<>();
    for (int j = 0; j < depth; j++) {
      String kernelPath = kernelsPath + "[" + j + "]";
      int k = ConfigTree.positiveInt(kernelNodes.get(j), kernelPath);
      if (!StageConfig.WRITABLE_KERNELS.contains(k)) {
        throw new SpaceException(kernelPath, "must be one of " + StageConfig.WRITABLE_KERNELS + ", got " + k);
      }
      kernels.add(k);
    }
    return new StageConfig(width, depth, kernels);
  }

  /** The architecture object, keys in canonical order. */
  public static ObjectNode write(CnnArchitecture arch) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("resolution", arch.resolution());
    config.put("stem", arch.stem());
    ArrayNode stages = config.putArray("stages");
    for (StageConfig stage : arch.stages()) {
      ObjectNode s = stages.addObject();
      s.put("width", stage.width());
      s.put("depth", stage.depth());
      ArrayNode kernels = s.putArray("kernels");
      stage.kernels().forEach(kernels::add);
    }
    config.put("head", arch.head());
    return config;
  }

  /** The canonical JSON of spec §2: compact, no spaces, canonical key order. */
  public static String canonical(CnnArchitecture arch) {
    return write(arch).toString(); // JsonNode.toString is compact JSON
  }
}
