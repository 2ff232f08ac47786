package io.prenas.cnn.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnModelSettings;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.CnnSpaceReader;
import io.prenas.cnn.space.StageChoices;
import io.prenas.cnn.space.StageConfig;
import java.util.Map;
import java.util.TreeSet;

/**
 * The standalone CNN subnet format (spec §4, "standalone subnet export"): a safetensors file with the subnet's own
 * tensors (the supernet's names, slots j &lt; depth only, each tensor cut to its slice, running statistics
 * included) and string metadata that makes it self-describing, plus a JSON config beside it.
 *
 * <p>Metadata: {@code format} ({@value #FORMAT}), {@code arch} (canonical architecture JSON, as the spec
 * recommends), {@code network} (a one-architecture CNN space in the space-file format, {@code MODEL} and
 * {@code SEARCH_SPACE}, which carries the strides, expand ratios and model settings a client needs),
 * {@code num_params}, {@code bn_statistics} ({@code recalibrated} or {@code supernet}).
 */
final class CnnSubnetFormat {

  static final String FORMAT = "prenas-cnn-subnet/1";
  static final String KEY_FORMAT = "format";
  static final String KEY_ARCH = "arch";
  static final String KEY_NETWORK = "network";
  static final String KEY_NUM_PARAMS = "num_params";
  static final String KEY_BN_STATISTICS = "bn_statistics";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CnnSubnetFormat() {}

  /** The space (file format, without TYPE) whose only architecture is {@code arch}. */
  static ObjectNode network(CnnSpace space, CnnArchitecture arch) {
    ObjectNode top = JSON.createObjectNode();
    CnnModelSettings m = space.model();
    ObjectNode model = top.putObject("MODEL");
    model.put("IN_CHANS", m.inChans());
    model.put("NUM_CLASSES", m.numClasses());
    model.put("ACTIVATION", m.activation().yamlName());
    model.put("SE", m.se());
    model.put("DROPOUT", m.dropout());
    model.put("BN_EPS", m.bnEps());
    model.put("BN_MOMENTUM", m.bnMomentum());
    ObjectNode search = top.putObject("SEARCH_SPACE");
    search.putArray("RESOLUTION").add(arch.resolution());
    ObjectNode stem = search.putObject("STEM");
    stem.putArray("WIDTH").add(arch.stem());
    stem.put("KERNEL", space.stem().kernel());
    stem.put("STRIDE", space.stem().stride());
    ArrayNode stages = search.putArray("STAGES");
    for (int s = 0; s < arch.stages().size(); s++) {
      StageConfig config = arch.stage(s);
      StageChoices choices = space.stages().get(s);
      ObjectNode stage = stages.addObject();
      stage.put("OP", "mbconv");
      stage.put("EXPAND", choices.expand());
      stage.putArray("WIDTH").add(config.width());
      stage.putArray("DEPTH").add(config.depth());
      ArrayNode kernels = stage.putArray("KERNEL");
      new TreeSet<>(config.kernels()).forEach(kernels::add);
      stage.put("STRIDE", choices.stride());
    }
    search.putObject("HEAD").putArray("WIDTH").add(arch.head());
    return top;
  }

  /** What a standalone file's metadata describes: the one-architecture network and its architecture. */
  record Described(CnnSpace network, CnnArchitecture arch) {}

  /**
   * Reads the network and the architecture from a standalone file's metadata, as {@link CnnModel} and the ONNX
   * export both need them.
   *
   * @param file the file's name, for the messages
   * @throws IllegalArgumentException when the file is not in this format or its metadata is missing or invalid
   */
  static Described describe(String file, Map<String, String> meta) {
    if (!FORMAT.equals(meta.get(KEY_FORMAT))) {
      throw new IllegalArgumentException(file + ": not a " + FORMAT + " file (format " + meta.get(KEY_FORMAT) + ")");
    }
    JsonNode network = parse(KEY_NETWORK, meta.get(KEY_NETWORK));
    if (!(network instanceof ObjectNode body)) {
      throw new IllegalArgumentException("subnet metadata: 'network' must be an object");
    }
    CnnSpace space = CnnSpaceReader.read("subnet", body);
    CnnArchitecture arch = CnnArchitectureJson.read(parse(KEY_ARCH, meta.get(KEY_ARCH)));
    space.validate(arch);
    return new Described(space, arch);
  }

  static JsonNode parse(String what, String json) {
    if (json == null) {
      throw new IllegalArgumentException("subnet metadata: '" + what + "' is missing (not a " + FORMAT + " file?)");
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("subnet metadata: '" + what + "' is not valid JSON");
    }
  }
}
