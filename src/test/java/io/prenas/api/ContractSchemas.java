package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON the server answers against the schemas of the committed contract ({@code api-spec/openapi.yaml}):
 * every member of an object is declared (or covered by {@code additionalProperties}), values have the declared type,
 * enums hold, required members are there. The SDK generators trust these schemas, and members that the server
 * passes through from engines and families (metrics, configs, summaries) are declared by hand, so the end-to-end
 * tests run every job and model they see through this check.
 *
 * <p>Covers the subset of OpenAPI 3.1 the contract uses: {@code $ref}, {@code type}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code enum}, {@code required}, {@code allOf}, {@code oneOf}.
 */
final class ContractSchemas {

  private static final JsonNode SCHEMAS = load();

  private ContractSchemas() {}

  /** Asserts that {@code value} is a valid {@code schemaName}; the message lists every violation with its path. */
  static void assertValid(String schemaName, JsonNode value) {
    List<String> errors = new ArrayList<>();
    check(ref(schemaName), value, schemaName, errors);
    if (!errors.isEmpty()) {
      throw new AssertionError("not a valid " + schemaName + " of api-spec/openapi.yaml:\n  "
          + String.join("\n  ", errors) + "\nin " + value);
    }
  }

  private static JsonNode load() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Path.of("api-spec/openapi.yaml").toFile())
          .path("components").path("schemas");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode ref(String name) {
    JsonNode schema = SCHEMAS.get(name);
    if (schema == null) {
      throw new AssertionError("no schema " + name + " in api-spec/openapi.yaml");
    }
    return schema;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (schema.has("$ref")) {
      String r = schema.get("$ref").asText();
      check(ref(r.substring(r.lastIndexOf('/') + 1)), value, path, errors);
      return;
    }
    if (value == null || value.isNull()) {
      return; // the contract has no required-non-null members beyond 'required' presence
    }
    if (schema.has("allOf")) {
      checkAllOf(schema, value, path, errors);
      return;
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode branch : schema.get("oneOf")) {
        List<String> e = new ArrayList<>();
        check(branch, value, path, e);
        matches += e.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        errors.add(path + ": matches " + matches + " branches of a oneOf");
      }
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.asText().equals(value.asText());
      }
      if (!found) {
        errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(schema, value, path, errors);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(path + ": expected an array, got " + value);
        } else if (schema.has("items")) {
          for (int i = 0; i < value.size(); i++) {
            check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
          }
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
          errors.add(path + ": expected an integer, got " + value);
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          errors.add(path + ": expected a number, got " + value);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          errors.add(path + ": expected a string, got " + value);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          errors.add(path + ": expected a boolean, got " + value);
        }
      }
      case "" -> {
        if (schema.has("properties")) {
          checkObject(schema, value, path, errors);
        } else if (schema.isEmpty()) {
          errors.add(path + ": the contract declares no schema here (free-form)");
        }
      }
      default -> errors.add(path + ": unknown schema type " + type);
    }
  }

  /** allOf: the object must satisfy each part's types, and each member must be declared by some part. */
  private static void checkAllOf(JsonNode schema, JsonNode value, String path, List<String> errors) {
    List<String> declared = new ArrayList<>();
    for (JsonNode part : schema.get("allOf")) {
      JsonNode resolved = part.has("$ref") ? ref(part.get("$ref").asText().replaceAll(".*/", "")) : part;
      resolved.path("properties").fieldNames().forEachRemaining(declared::add);
      for (JsonNode req : resolved.path("required")) {
        if (!value.has(req.asText())) {
          errors.add(path + ": required member " + req.asText() + " is missing");
        }
      }
      Iterator<Map.Entry<String, JsonNode>> it = resolved.path("properties").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> p = it.next();
        check(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), errors);
      }
    }
    value.fieldNames().forEachRemaining(name -> {
      if (!declared.contains(name)) {
        errors.add(path + "." + name + ": not declared");
      }
    });
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (!value.isObject()) {
      errors.add(path + ": expected an object, got " + value);
      return;
    }
    for (JsonNode req : schema.path("required")) {
      if (!value.has(req.asText())) {
        errors.add(path + ": required member " + req.asText() + " is missing");
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> it = value.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> member = it.next();
      String at = path + "." + member.getKey();
      if (properties.has(member.getKey())) {
        check(properties.get(member.getKey()), member.getValue(), at, errors);
      } else if (additional != null && additional.isObject()) {
        check(additional, member.getValue(), at, errors);
      } else {
        errors.add(at + ": not declared");
      }
    }
  }
}
