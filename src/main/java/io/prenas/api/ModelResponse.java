package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCard;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

@Schema(description = "A published standalone subnet.")
record ModelResponse(
    @Schema(example = "17") long id,
    @Schema(example = "autoformer-tiny") String space,
    @Schema(example = "e192_d12_h4-4-3_m4-3.5-4") String archId,
    @Schema(description = "The architecture's config in its family's format.",
        implementation = ArchitectureConfig.class) JsonNode config,
    @Schema(description = "Parameter count.", example = "5994760") long params,
    @Schema(description = "Multiply-accumulates of one image.", example = "1.39e9") double flops,
    @Schema(description = "Validation top-1 accuracy in percent; null when not evaluated.", example = "77.1")
    Double valTop1,
    @Schema(description = "Validation top-5 accuracy in percent.", example = "93.4") Double valTop5,
    @Schema(description = "SHA-256 of the weights file (also its ETag).",
        example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
    @Schema(description = "Size of the weights file in bytes.", example = "23979040") long sizeBytes,
    @Schema(description = "The job that made the model, if any.") UUID job,
    Instant createdAt,
    @Schema(description = "Where to download the weights.", example = "/api/v1/models/17/weights") String weightsUrl,
    @Schema(description = "Where to download the model as ONNX (opset 17; pixels [N, C, H, W] -> logits [N, classes]).",
        example = "/api/v1/models/17/weights?format=onnx") String onnxUrl,
    @Schema(description = "Where to read the JSON config.", example = "/api/v1/models/17/config") String configUrl,
    @Schema(description = "The release (publication) the model belongs to.") UUID release,
    @Schema(description = "True once the model is withdrawn: best no longer answers it; it stays downloadable.")
    boolean withdrawn,
    @Schema(description = "Why it was withdrawn; null unless withdrawn.", nullable = true) String withdrawnReason,
    @Schema(description = "When it was withdrawn; null unless withdrawn.", nullable = true) Instant withdrawnAt,
    @Schema(description = "How to run the model: preprocessing, labels, data set, lineage, release. Also in the "
        + "weights file's metadata under the key prenas.model_card.") ModelCard card) {}
