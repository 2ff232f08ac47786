package io.prenas.api;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A custom search space to register: a name and the space YAML (the reference format).")
record RegisterSpaceRequest(
    @Schema(description = "Space name: a letter or digit, then letters, digits, '.', '_' or '-' (at most 64).",
        example = "micro-a", requiredMode = Schema.RequiredMode.REQUIRED) String name,
    @Schema(description = "The space YAML (SUPERNET, SEARCH_SPACE and optional MODEL sections).",
        example = "SUPERNET: {EMBED_DIM: 128, DEPTH: 2, NUM_HEADS: 2, MLP_RATIO: 2.0}\\n"
            + "SEARCH_SPACE: {EMBED_DIM: [64, 128], DEPTH: [1, 2], NUM_HEADS: [1, 2], MLP_RATIO: [1.0, 2.0]}",
        requiredMode = Schema.RequiredMode.REQUIRED) String yaml) {}
