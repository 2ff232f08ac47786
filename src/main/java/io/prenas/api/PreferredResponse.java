package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "The preferred table of a space, written by one selection job.")
record PreferredResponse(
    @Schema(example = "autoformer-tiny") String space,
    @Schema(description = "The selection job that wrote the table.") UUID job,
    @Schema(description = "Rows by bin, then rank.") List<Row> architectures) {

  @Schema(description = "One preferred architecture.")
  record Row(
      @Schema(description = "Bin key: the bin's upper bound in millions of parameters.", example = "6.0")
      String binKey,
      @Schema(example = "5.0") double binLower, @Schema(example = "6.0") double binUpper,
      @Schema(description = "Rank in the bin, from 1.", example = "1") int rank,
      @Schema(example = "e192_d12_h4-4-3_m4-3.5-4") String archId,
      @Schema(description = "Reference JSON config (layer_num, embed_dim, mlp_ratio, num_heads).") JsonNode config,
      @Schema(example = "5994760") long params,
      @Schema(description = "Multiply-accumulates of one 224x224 image.", example = "1.4e9") double flops,
      @Schema(example = "1010076.75") double score) {}
}
