package io.prenas.api;

import io.prenas.catalog.Release;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

@Schema(description = "One publication of a space: the models one pipeline or evaluation job published.")
record ReleaseResponse(
    @Schema(description = "The release's id (the publishing job's id; pin it with ?release=).") UUID id,
    @Schema(example = "demo-fmnist") String space,
    @Schema(description = "The publishing job; null for models published without a job.", nullable = true) UUID job,
    @Schema(description = "Fingerprint of the data its models were evaluated on; null when unknown (published "
        + "before cards).", nullable = true) String datasetFingerprint,
    @Schema(description = "How many models it published.", example = "5") long models,
    @Schema(description = "How many of them are withdrawn.", example = "0") long withdrawn,
    @Schema(description = "When it was complete; null while its job is still publishing (best does not answer from "
        + "it by default then).", nullable = true) Instant publishedAt,
    @Schema(description = "True for the space's newest complete release, the one best and the model list answer "
        + "from by default.") boolean newest) {

  static ReleaseResponse of(Release r, boolean newest) {
    return new ReleaseResponse(r.id(), r.space(), r.job(), r.datasetFingerprint(), r.models(), r.withdrawn(),
        r.publishedAt(), newest);
  }
}
