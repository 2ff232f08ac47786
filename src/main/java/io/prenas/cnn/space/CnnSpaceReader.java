package io.prenas.cnn.space;

import static io.prenas.space.ConfigTree.mapping;
import static io.prenas.space.ConfigTree.positiveInt;
import static io.prenas.space.ConfigTree.positiveIntList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.ConfigTree;
import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of a {@code TYPE: cnn} space file (spec §1; the generic loader has parsed the YAML and taken off the
 * {@code TYPE} key). Everything is checked on load, and every error is a {@link SpaceException} whose key is the path
 * of the value at fault ({@code SEARCH_SPACE.STAGES[2].KERNEL[1]}): choice lists non-empty, strictly ascending,
 * positive integers; kernels odd, at most 9 (the id writes one digit per layer); strides 1 or 2; unknown keys refused.
 */
public final class CnnSpaceReader {

  static final String MBCONV = "mbconv";
  private static final String MODEL = "MODEL";
  private static final String SEARCH_SPACE = "SEARCH_SPACE";
  private static final String WIDTH = "WIDTH";
  private static final String KERNEL = "KERNEL";
  private static final String STRIDE = "STRIDE";

  private CnnSpaceReader() {}

  public static CnnSpace read(String name, ObjectNode body) {
    ObjectNode top = mapping(body, "", List.of(MODEL, SEARCH_SPACE), List.of("NAME"));
    if (top.has("NAME") && !top.get("NAME").isTextual()) {
      throw new SpaceException("NAME", "must be text, got " + ConfigTree.describe(top.get("NAME")));
    }
    CnnModelSettings model = readModel(top.get(MODEL));
    ObjectNode space = mapping(top.get(SEARCH_SPACE), SEARCH_SPACE, List.of("RESOLUTION", "STEM", "STAGES", "HEAD"),
        List.of());
    List<Integer> resolutions = choices(space.get("RESOLUTION"), SEARCH_SPACE + ".RESOLUTION");
    StemChoices stem = readStem(space.get("STEM"), SEARCH_SPACE + ".STEM");
    List<StageChoices> stages = readStages(space.get("STAGES"), SEARCH_SPACE + ".STAGES");
    ObjectNode head = mapping(space.get("HEAD"), SEARCH_SPACE + ".HEAD", List.of(WIDTH), List.of());
    List<Integer> headWidths = choices(head.get(WIDTH), SEARCH_SPACE + ".HEAD." + WIDTH);
    return new CnnSpace(name, model, resolutions, stem, stages, headWidths);
  }

  private static CnnModelSettings readModel(JsonNode node) {
    ObjectNode model = mapping(node, MODEL, List.of("IN_CHANS", "NUM_CLASSES"),
        List.of("ACTIVATION", "SE", "DROPOUT", "BN_EPS", "BN_MOMENTUM"));
    Activation activation = CnnModelSettings.DEFAULT_ACTIVATION;
    if (model.has("ACTIVATION")) {
      JsonNode a = model.get("ACTIVATION");
      if (!a.isTextual()) {
        throw new SpaceException(MODEL + ".ACTIVATION", "must be swish or relu6, got " + ConfigTree.describe(a));
      }
      activation = Activation.parse(a.textValue(), MODEL + ".ACTIVATION");
    }
    boolean se = CnnModelSettings.DEFAULT_SE;
    if (model.has("SE")) {
      JsonNode s = model.get("SE");
      if (!s.isBoolean()) {
        throw new SpaceException(MODEL + ".SE", "must be true or false, got " + ConfigTree.describe(s));
      }
      se = s.booleanValue();
    }
    double dropout = fraction(model, "DROPOUT", CnnModelSettings.DEFAULT_DROPOUT, true);
    double eps = model.has("BN_EPS") ? ConfigTree.positiveNumber(model.get("BN_EPS"), MODEL + ".BN_EPS")
        : CnnModelSettings.DEFAULT_BN_EPS;
    double momentum = fraction(model, "BN_MOMENTUM", CnnModelSettings.DEFAULT_BN_MOMENTUM, false);
    return new CnnModelSettings(positiveInt(model.get("IN_CHANS"), MODEL + ".IN_CHANS"),
        positiveInt(model.get("NUM_CLASSES"), MODEL + ".NUM_CLASSES"), activation, se, dropout, eps, momentum);
  }

  /** A probability-like setting: dropout in [0, 1), BN momentum in (0, 1]. */
  private static double fraction(ObjectNode model, String key, double fallback, boolean dropout) {
    if (!model.has(key)) {
      return fallback;
    }
    JsonNode node = model.get(key);
    String path = MODEL + "." + key;
    if (!node.isNumber()) {
      throw new SpaceException(path, "must be a number, got " + ConfigTree.describe(node));
    }
    double value = node.doubleValue();
    boolean ok = dropout ? value >= 0 && value < 1 : value > 0 && value <= 1;
    if (!ok) {
      throw new SpaceException(path, "must be in " + (dropout ? "[0, 1)" : "(0, 1]") + ", got " + node);
    }
    return value;
  }

  private static StemChoices readStem(JsonNode node, String path) {
    ObjectNode stem = mapping(node, path, List.of(WIDTH, KERNEL, STRIDE), List.of());
    int kernel = positiveInt(stem.get(KERNEL), path + "." + KERNEL);
    if (kernel % 2 == 0) {
      throw new SpaceException(path + "." + KERNEL, "must be odd (the conv pads by k/2), got " + kernel);
    }
    return new StemChoices(choices(stem.get(WIDTH), path + "." + WIDTH), kernel,
        positiveInt(stem.get(STRIDE), path + "." + STRIDE));
  }

  private static List<StageChoices> readStages(JsonNode node, String path) {
    JsonNode list = ConfigTree.nonEmptyList(node, path);
    List<StageChoices> stages = new ArrayList<>();
    for (int s = 0; s < list.size(); s++) {
      stages.add(readStage(list.get(s), path + "[" + s + "]"));
    }
    return stages;
  }

  private static StageChoices readStage(JsonNode node, String path) {
    ObjectNode stage = mapping(node, path, List.of("OP", "EXPAND", WIDTH, "DEPTH", KERNEL, STRIDE), List.of());
    JsonNode op = stage.get("OP");
    if (!op.isTextual() || !op.textValue().equals(MBCONV)) {
      throw new SpaceException(path + ".OP", "must be mbconv, got " + ConfigTree.describe(op));
    }
    List<Integer> kernels = choices(stage.get(KERNEL), path + "." + KERNEL);
    for (int i = 0; i < kernels.size(); i++) {
      if (!StageConfig.WRITABLE_KERNELS.contains(kernels.get(i))) {
        throw new SpaceException(path + "." + KERNEL + "[" + i + "]", "must be one of "
            + StageConfig.WRITABLE_KERNELS + " (odd, one digit in the architecture id), got " + kernels.get(i));
      }
    }
    int stride = positiveInt(stage.get(STRIDE), path + "." + STRIDE);
    if (stride > 2) {
      throw new SpaceException(path + "." + STRIDE, "must be 1 or 2, got " + stride);
    }
    return new StageChoices(positiveInt(stage.get("EXPAND"), path + ".EXPAND"),
        choices(stage.get(WIDTH), path + "." + WIDTH), choices(stage.get("DEPTH"), path + ".DEPTH"), kernels,
        stride);
  }

  /** A choice list: non-empty positive integers, strictly ascending (so the first is the min, the last the max). */
  private static List<Integer> choices(JsonNode node, String path) {
    List<Integer> values = positiveIntList(node, path);
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) <= values.get(i - 1)) {
        throw new SpaceException(path + "[" + i + "]", "choices must be strictly ascending, but " + values.get(i)
            + " follows " + values.get(i - 1));
      }
    }
    return values;
  }
}
