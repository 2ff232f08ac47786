package io.prenas.api;

import io.prenas.job.JobOptions;
import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A job to run on a worker.")
record JobSubmitRequest(
    @Schema(description = "Job type.", allowableValues = {"selection", "training", "evaluation", "pipeline"},
        example = "selection", requiredMode = Schema.RequiredMode.REQUIRED) String type,
    @Schema(description = "Name of the search space.", example = "autoformer-tiny",
        requiredMode = Schema.RequiredMode.REQUIRED) String space,
    @Schema(description = "Options of the job type; unset options take their defaults, which the job row records.")
    JobOptions options) {}
