package io.prenas.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The summary of a space that its model family writes ({@code space describe --json}), declared for generated
 * clients. The server passes the family's JSON through (it never binds this type); tests check real summaries
 * against it. One schema with every family's members, each saying which family fills it, so that any generator
 * reads it without choosing between branches.
 */
@Schema(name = "SpaceSummary", description = "Summary of a space; `family` says which members are filled.")
record SpaceSummary(
    @Schema(example = "autoformer-tiny") String name,
    @Schema(allowableValues = {"vit", "cnn"}, example = "vit") String family,
    @Schema(description = "Number of architectures.", example = "1056964608") long architectures,
    @Schema(description = "Parameter counts.") Range params,
    @Schema(description = "Multiply-accumulates of one image.") Range flops,
    @Schema(description = "Input, classes and the family's fixed settings.") ModelSummary model,
    @Schema(description = "Choice lists.") Choices choices,
    @Schema(description = "ViT: whether choices differ per embedding width (layerwise_choices).") Boolean layerwise,
    @Schema(description = "ViT: largest dimensions of the supernet.") VitSupernet supernet,
    @JsonProperty("layerwise_choices") @Schema(description = "ViT, layerwise spaces: choices per embedding width.")
    Map<String, VitLayerwise> layerwiseChoices,
    @JsonProperty("isomer_groups") @Schema(description = "ViT: candidates of the selector (isomer groups).",
        example = "1770") Long isomerGroups,
    @JsonProperty("min_architecture") @Schema(description = "CNN: id of the smallest architecture.")
    String minArchitecture,
    @JsonProperty("max_architecture") @Schema(description = "CNN: id of the largest architecture.")
    String maxArchitecture) {

  @Schema(name = "ValueRange", description = "Smallest and largest value over all architectures of a space.")
  record Range(@Schema(example = "5366056") double min, @Schema(example = "10517272") double max) {}

  @Schema(name = "ModelSummary", description = "Input geometry, classes and fixed settings of a space.")
  record ModelSummary(@JsonProperty("image_size") @Schema(description = "Input side (CNN: the largest resolution).")
      int imageSize, @JsonProperty("in_chans") int inChans, @JsonProperty("num_classes") int numClasses,
      @JsonProperty("patch_size") @Schema(description = "ViT.") Integer patchSize,
      @JsonProperty("max_relative_position") @Schema(description = "ViT.") Integer maxRelativePosition,
      @JsonProperty("num_patches") @Schema(description = "ViT.") Integer numPatches,
      @Schema(description = "CNN.", allowableValues = {"swish", "relu6"}) String activation,
      @Schema(description = "CNN: squeeze-and-excitation on.") Boolean se,
      @Schema(description = "CNN.") Double dropout,
      @JsonProperty("bn_eps") @Schema(description = "CNN.") Double bnEps,
      @JsonProperty("bn_momentum") @Schema(description = "CNN.") Double bnMomentum) {}

  @Schema(name = "ChoicesSummary", description = "Choice lists of a space.")
  record Choices(
      @JsonProperty("embed_dim") @Schema(description = "ViT.") List<Integer> embedDim,
      @Schema(description = "ViT.") List<Integer> depth,
      @JsonProperty("mlp_ratio") @Schema(description = "ViT.") List<Double> mlpRatio,
      @JsonProperty("num_heads") @Schema(description = "ViT.") List<Integer> numHeads,
      @Schema(description = "CNN.") List<Integer> resolution,
      @Schema(description = "CNN.") CnnStem stem,
      @Schema(description = "CNN.") List<CnnStage> stages,
      @Schema(description = "CNN.") CnnHead head) {}

  @Schema(name = "VitSupernetSummary", description = "Largest dimensions of a ViT supernet.")
  record VitSupernet(@JsonProperty("embed_dim") int embedDim, int depth, @JsonProperty("num_heads") int numHeads,
      @JsonProperty("mlp_ratio") double mlpRatio) {}

  @Schema(name = "VitLayerwiseSummary", description = "Choices of one embedding width, per layer.")
  record VitLayerwise(List<Integer> depth, @JsonProperty("mlp_ratio") List<List<Double>> mlpRatio,
      @JsonProperty("num_heads") List<List<Integer>> numHeads) {}

  @Schema(name = "CnnStemSummary", description = "Stem widths and fixed geometry.")
  record CnnStem(List<Integer> width, int kernel, int stride) {}

  @Schema(name = "CnnStageSummary", description = "One stage's choices.")
  record CnnStage(@Schema(allowableValues = "mbconv") String op, int expand, List<Integer> width, List<Integer> depth,
      List<Integer> kernel, int stride) {}

  @Schema(name = "CnnHeadSummary", description = "Head widths.")
  record CnnHead(List<Integer> width) {}
}
