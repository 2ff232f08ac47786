package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredTables;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Schema(description = "The preferred table of a space, written by one selection job (or imported).")
record PreferredResponse(
    @Schema(example = "autoformer-tiny") String space,
    @Schema(description = "The selection job that wrote the table (for an import, the job that records it).")
    UUID job,
    @Schema(description = "Rows by bin, then rank.") List<Row> architectures) {

  static PreferredResponse of(PreferredTables.Table table, ObjectMapper json) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (PreferredArchitecture r : table.rows()) {
      rows.add(new Row(r.binKey(), r.binLower(), r.binUpper(), r.rank(), r.archId(), json.readTree(r.config()),
          r.params(), r.flops(), r.score()));
    }
    return new PreferredResponse(table.space(), table.jobId(), rows);
  }

  @Schema(description = "One preferred architecture.")
  record Row(
      @Schema(description = "Bin key: the bin's upper bound in millions of parameters.", example = "6.0")
      String binKey,
      @Schema(example = "5.0") double binLower, @Schema(example = "6.0") double binUpper,
      @Schema(description = "Rank in the bin, from 1.", example = "1") int rank,
      @Schema(example = "e192_d12_h4-4-3_m4-3.5-4") String archId,
      @Schema(description = "The architecture's config in its family's format.",
          implementation = ArchitectureConfig.class) JsonNode config,
      @Schema(example = "5994760") long params,
      @Schema(description = "Multiply-accumulates of one 224x224 image.", example = "1.4e9") double flops,
      @Schema(example = "1010076.75") double score) {}
}
