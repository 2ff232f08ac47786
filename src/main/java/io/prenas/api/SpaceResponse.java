package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prenas.catalog.SpaceInfo;
import io.prenas.space.SearchSpace;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "A search space: the supernet it is sliced from, the fixed model settings and the choices.")
record SpaceResponse(
    @Schema(description = "Space name, unique on the server.", example = "autoformer-tiny") String name,
    @Schema(description = "True for the spaces shipped with the server.", example = "true") boolean builtIn,
    @Schema(description = "Tensor sizes of the weight-sharing supernet.") Supernet supernet,
    @Schema(description = "Fixed model settings.") Model model,
    @Schema(description = "Searchable choices (for a layer-wise space: the union over its widths).") Choices choices,
    @Schema(description = "True for a reduced space with per-width, per-layer choices.", example = "false")
    boolean layerwise,
    @Schema(description = "Imported supernet weights, or null when none were imported.") SupernetWeights supernetWeights,
    @Schema(description = "When a custom space was registered; null for built-in spaces.") Instant registeredAt) {

  @Schema(description = "Supernet tensor sizes.")
  record Supernet(@Schema(example = "256") int embedDim, @Schema(example = "14") int depth,
      @Schema(example = "4") int numHeads, @Schema(example = "4.0") double mlpRatio) {}

  @Schema(description = "Input geometry and classes.")
  record Model(@Schema(example = "224") int imageSize, @Schema(example = "16") int patchSize,
      @Schema(example = "3") int inChans, @Schema(example = "1000") int numClasses) {}

  @Schema(description = "Choice lists, in file order.")
  record Choices(@Schema(example = "[192, 216, 240]") List<Integer> embedDims,
      @Schema(example = "[12, 13, 14]") List<Integer> depths,
      @Schema(example = "[3.5, 4.0]") List<Double> mlpRatios,
      @Schema(example = "[3, 4]") List<Integer> numHeads) {}

  @Schema(description = "The supernet weights imported for this space.")
  record SupernetWeights(
      @Schema(description = "SHA-256 of the safetensors file.",
          example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
      Instant importedAt) {}

  /**
   * The response of a space, its sections read from the family's own summary ({@link SearchSpace#describe()}, the
   * JSON of {@code space describe --json}), so that this class names no family's types. A section the family's
   * summary does not have is null.
   */
  static SpaceResponse of(SpaceInfo info) {
    ObjectNode d = info.space().describe();
    JsonNode sn = d.path("supernet");
    JsonNode m = d.path("model");
    JsonNode c = d.path("choices");
    return new SpaceResponse(info.name(), info.builtIn(),
        sn.isObject() ? new Supernet(sn.path("embed_dim").asInt(), sn.path("depth").asInt(),
            sn.path("num_heads").asInt(), sn.path("mlp_ratio").asDouble()) : null,
        m.isObject() ? new Model(m.path("image_size").asInt(), m.path("patch_size").asInt(),
            m.path("in_chans").asInt(), m.path("num_classes").asInt()) : null,
        c.isObject() ? new Choices(ints(c.path("embed_dim")), ints(c.path("depth")), doubles(c.path("mlp_ratio")),
            ints(c.path("num_heads"))) : null,
        d.path("layerwise").asBoolean(false),
        info.supernetSha256() == null ? null : new SupernetWeights(info.supernetSha256(), info.supernetImportedAt()),
        info.registeredAt());
  }

  private static List<Integer> ints(JsonNode list) {
    List<Integer> out = new java.util.ArrayList<>();
    list.forEach(v -> out.add(v.asInt()));
    return out;
  }

  private static List<Double> doubles(JsonNode list) {
    List<Double> out = new java.util.ArrayList<>();
    list.forEach(v -> out.add(v.asDouble()));
    return out;
  }
}
