package io.prenas.api;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "Why a model is withdrawn.")
record WithdrawRequest(
    @Schema(description = "The reason, shown with the model from then on (1 to 1000 characters).",
        requiredMode = Schema.RequiredMode.REQUIRED, example = "mislabelled validation data") String reason) {}
