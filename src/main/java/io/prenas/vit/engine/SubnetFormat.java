package io.prenas.vit.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitArchitectureJson;

/**
 * The standalone subnet format: a safetensors file with the tensors of {@link SupernetLayout#subnetShapes} and
 * string metadata that makes it self-describing, plus a JSON config file beside it for people and catalogs.
 *
 * <p>Metadata keys: {@code format} ({@value #FORMAT}), {@code architecture} (reference config JSON),
 * {@code model} (the YAML {@code MODEL} section as JSON), {@code num_params}, {@code qkv_layout}.
 */
final class SubnetFormat {

  static final String FORMAT = "prenas-vit-subnet/1";
  static final String QKV_LAYOUT = "blocks: rows [q; k; v], each 64*heads rows (de-interleaved from the"
      + " supernet's row 3c+t)";

  static final String KEY_FORMAT = "format";
  static final String KEY_ARCHITECTURE = "architecture";
  static final String KEY_MODEL = "model";
  static final String KEY_NUM_PARAMS = "num_params";
  static final String KEY_QKV_LAYOUT = "qkv_layout";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SubnetFormat() {}

  static ObjectNode modelJson(ModelSettings m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("IMAGE_SIZE", m.imageSize());
    node.put("PATCH_SIZE", m.patchSize());
    node.put("IN_CHANS", m.inChans());
    node.put("NUM_CLASSES", m.numClasses());
    node.put("MAX_RELATIVE_POSITION", m.maxRelativePosition());
    return node;
  }

  static ModelSettings readModel(JsonNode node) {
    for (String key : new String[] {"IMAGE_SIZE", "PATCH_SIZE", "IN_CHANS", "NUM_CLASSES",
        "MAX_RELATIVE_POSITION"}) {
      if (!node.path(key).canConvertToInt()) {
        throw new IllegalArgumentException("subnet metadata: model." + key + " is missing or not an integer");
      }
    }
    return new ModelSettings(node.get("IMAGE_SIZE").asInt(), node.get("PATCH_SIZE").asInt(),
        node.get("IN_CHANS").asInt(), node.get("NUM_CLASSES").asInt(), node.get("MAX_RELATIVE_POSITION").asInt());
  }

  static String compact(JsonNode node) {
    return node.toString();
  }

  static JsonNode parse(String what, String json) {
    if (json == null) {
      throw new IllegalArgumentException("subnet metadata: '" + what + "' is missing (not a " + FORMAT
          + " file?)");
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("subnet metadata: '" + what + "' is not valid JSON");
    }
  }

  static VitArchitecture readArchitecture(String json) {
    return VitArchitectureJson.readConfig(parse(KEY_ARCHITECTURE, json));
  }
}
