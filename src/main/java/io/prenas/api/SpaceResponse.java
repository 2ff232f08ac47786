package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prenas.catalog.SpaceInfo;
import io.prenas.space.SearchSpace;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Schema(description = "A search space: the supernet it is sliced from, the fixed model settings and the choices.")
record SpaceResponse(
    @Schema(description = "Space name, unique on the server.", example = "autoformer-tiny") String name,
    @Schema(description = "True for the spaces shipped with the server.", example = "true") boolean builtIn,
    @Schema(description = "Model family of the space (its file's TYPE key): vit or cnn.", example = "vit")
    String family,
    @Schema(description = "Tensor sizes of a ViT supernet; null for other families (see summary).") Supernet supernet,
    @Schema(description = "Fixed model settings.") Model model,
    @Schema(description = "Searchable choices of a ViT space (for a layer-wise space: the union over its widths); null "
        + "for other families (see summary).") Choices choices,
    @Schema(description = "True for a reduced space with per-width, per-layer choices.", example = "false")
    boolean layerwise,
    @Schema(description = "Imported supernet weights, or null when none were imported.") SupernetWeights supernetWeights,
    @Schema(description = "When a custom space was registered; null for built-in spaces.") Instant registeredAt,
    @Schema(description = "The family's own summary of the space, as 'space describe --json' prints it: the number "
        + "of architectures, parameter and FLOPs range, and the family's choices (snake_case keys).",
        implementation = SpaceSummary.class)
    ObjectNode summary) {

  @Schema(description = "Supernet tensor sizes.")
  record Supernet(@Schema(example = "256") int embedDim, @Schema(example = "14") int depth,
      @Schema(example = "4") int numHeads, @Schema(example = "4.0") double mlpRatio) {}

  @Schema(description = "Input geometry and classes.")
  record Model(@Schema(example = "224") int imageSize,
      @Schema(description = "Patch side of a ViT; null for other families.", example = "16") Integer patchSize,
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
   * The response of a space, its sections read from the family's own summary ({@link SpaceInfo#summary()}, the
   * JSON of {@code space describe --json}), so that this class names no family's types. A section the family's
   * summary does not have is null.
   */
  static SpaceResponse of(SpaceInfo info) {
    SearchSpace space = info.space();
    ObjectNode d = info.summary();
    JsonNode sn = d.path("supernet");
    JsonNode patch = d.path("model").path("patch_size");
    JsonNode c = d.path("choices");
    return new SpaceResponse(info.name(), info.builtIn(), space.family(),
        sn.has("embed_dim") ? new Supernet(sn.path("embed_dim").asInt(), sn.path("depth").asInt(),
            sn.path("num_heads").asInt(), sn.path("mlp_ratio").asDouble()) : null,
        new Model(space.imageSize(), patch.isInt() ? patch.asInt() : null, space.inChannels(), space.numClasses()),
        c.has("embed_dim") ? new Choices(ints(c.path("embed_dim")), ints(c.path("depth")),
            doubles(c.path("mlp_ratio")), ints(c.path("num_heads"))) : null,
        d.path("layerwise").asBoolean(false),
        info.supernetSha256() == null ? null : new SupernetWeights(info.supernetSha256(), info.supernetImportedAt()),
        info.registeredAt(), d);
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
