package io.prenas.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed reads from a parsed YAML or JSON tree. Every failure is a {@link SpaceException} whose key is the full path
 * of the value (for example {@code SEARCH_SPACE.MLP_RATIO.240[3]}), so a user can find it in the file.
 */
public final class ConfigTree {

  private ConfigTree() {}

  /** The node must be a mapping whose keys are all in {@code required} or {@code optional}. */
  public static ObjectNode mapping(JsonNode node, String path, List<String> required, List<String> optional) {
    ObjectNode object = mapping(node, path);
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!required.contains(name) && !optional.contains(name)) {
        Set<String> allowed = new LinkedHashSet<>(required);
        allowed.addAll(optional);
        throw new SpaceException(join(path, name), "unknown key (allowed here: " + String.join(", ", allowed) + ")");
      }
    }
    for (String name : required) {
      if (!object.has(name)) {
        throw new SpaceException(join(path, name), "missing (required" + (path.isEmpty() ? "" : " in " + path) + ")");
      }
    }
    return object;
  }

  public static ObjectNode mapping(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new SpaceException(path.isEmpty() ? null : path, "must be a mapping, got " + describe(node));
    }
    return (ObjectNode) node;
  }

  /** A positive integer (a YAML {@code 12}; {@code 12.0} and {@code "12"} are refused). */
  public static int positiveInt(JsonNode node, String path) {
    if (node == null || !node.isNumber()) {
      throw new SpaceException(path, "must be a number, got " + describe(node));
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new SpaceException(path, "must be an integer, got " + node);
    }
    int value = node.intValue();
    if (value <= 0) {
      throw new SpaceException(path, "must be positive, got " + value);
    }
    return value;
  }

  /** A positive finite number; integers are accepted (the reference writes the ratio 4 as {@code 4}). */
  public static double positiveNumber(JsonNode node, String path) {
    if (node == null || !node.isNumber()) {
      throw new SpaceException(path, "must be a number, got " + describe(node));
    }
    double value = node.doubleValue();
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new SpaceException(path, "must be a positive finite number, got " + node);
    }
    return value;
  }

  public static List<Integer> positiveIntList(JsonNode node, String path) {
    JsonNode list = nonEmptyList(node, path);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      values.add(positiveInt(list.get(i), path + "[" + i + "]"));
    }
    requireDistinct(values, path);
    return values;
  }

  public static List<Double> positiveNumberList(JsonNode node, String path) {
    JsonNode list = nonEmptyList(node, path);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      values.add(positiveNumber(list.get(i), path + "[" + i + "]"));
    }
    requireDistinct(values, path);
    return values;
  }

  public static JsonNode nonEmptyList(JsonNode node, String path) {
    if (node == null || !node.isArray()) {
      throw new SpaceException(path, "must be a list, got " + describe(node));
    }
    if (node.isEmpty()) {
      throw new SpaceException(path, "must not be empty");
    }
    return node;
  }

  /** Parses a mapping key written as an integer ({@code 240:} in a layer-wise space). */
  public static int intKey(String key, String path) {
    try {
      int value = Integer.parseInt(key.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SpaceException(join(path, key), "key must be a positive integer embed dim");
  }

  public static <T> void requireDistinct(List<T> values, String path) {
    Set<T> seen = new HashSet<>();
    for (T v : values) {
      if (!seen.add(v)) {
        throw new SpaceException(path, "duplicate value " + v + " in " + values);
      }
    }
  }

  public static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the text \"" + node.textValue() + "\"";
    }
    if (node.isBoolean()) {
      return "the boolean " + node.booleanValue();
    }
    return node.toString();
  }
}
