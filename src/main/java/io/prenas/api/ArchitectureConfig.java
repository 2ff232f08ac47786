package io.prenas.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An architecture config, declared for generated clients: each model family fills its own members (the server
 * passes the family's canonical JSON through and never binds this type; tests check real configs against it). One
 * schema with every family's members rather than a {@code oneOf}: the configs carry no member that tells the
 * families apart, so a generated client could not pick a branch.
 */
@Schema(name = "ArchitectureConfig", description = "An architecture in its family's format. A ViT (the reference's "
    + "config) has layer_num and, per layer, embed_dim (the same in every layer), mlp_ratio and num_heads; a CNN has "
    + "resolution, stem, stages (per stage a width, a depth and one kernel per layer) and head.")
record ArchitectureConfig(
    @JsonProperty("layer_num") @Schema(description = "ViT: number of layers.", example = "12") Integer layerNum,
    @JsonProperty("embed_dim") @Schema(description = "ViT: embedding width per layer.", example = "[192, 192]")
    List<Integer> embedDim,
    @JsonProperty("mlp_ratio") @Schema(description = "ViT: MLP ratio per layer.", example = "[4.0, 3.5]")
    List<Double> mlpRatio,
    @JsonProperty("num_heads") @Schema(description = "ViT: attention heads per layer.", example = "[4, 3]")
    List<Integer> numHeads,
    @Schema(description = "CNN: input resolution.", example = "224") Integer resolution,
    @Schema(description = "CNN: stem width.", example = "32") Integer stem,
    @Schema(description = "CNN: the stages, in order.") List<Stage> stages,
    @Schema(description = "CNN: head width.", example = "1280") Integer head) {

  @Schema(name = "CnnStageConfig", description = "One stage of a CNN architecture.")
  record Stage(@Schema(example = "24") int width, @Schema(example = "2") int depth,
      @Schema(description = "One kernel size per layer (depth entries).", example = "[3, 5]") List<Integer> kernels) {}
}
