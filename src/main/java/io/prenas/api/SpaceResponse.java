package io.prenas.api;

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

  static SpaceResponse of(SpaceInfo info) {
    SearchSpace s = info.space();
    return new SpaceResponse(info.name(), info.builtIn(),
        new Supernet(s.supernet().embedDim(), s.supernet().depth(), s.supernet().numHeads(), s.supernet().mlpRatio()),
        new Model(s.model().imageSize(), s.model().patchSize(), s.model().inChans(), s.model().numClasses()),
        new Choices(s.embedDims(), s.depths(), s.mlpRatios(), s.numHeads()),
        s.isLayerwise(),
        info.supernetSha256() == null ? null : new SupernetWeights(info.supernetSha256(), info.supernetImportedAt()),
        info.registeredAt());
  }
}
