package io.prenas.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.data.Preprocessing;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a client needs to run a published model without asking anyone: how to preprocess an image, what each output
 * index means, which data the accuracy was measured on, where the model comes from, and its release. Stored with the
 * model ({@code models.card}), returned by the API, and written into the weights file's metadata under
 * {@link #METADATA_KEY} (safetensors {@code __metadata__}; an ONNX file's {@code metadata_props} take the same
 * key and value through {@link #fileMetadata()}).
 *
 * <p>Models published before cards existed (schema V4) have {@code preprocessing}, {@code labels} and
 * {@code dataset} null, and {@code lineage} from their job's row (null when they have no job).
 */
@Schema(description = "How to run a published model: preprocessing, labels, data, lineage and release.")
public record ModelCard(
    @Schema(description = "The evaluation transform, to apply to an image before the model; null for models "
        + "published before cards existed.", nullable = true)
    Preprocessing preprocessing,
    @Schema(description = "Class names in output index order; null for models published before cards existed.",
        nullable = true, example = "[\"T-shirt/top\", \"Trouser\", \"Pullover\"]")
    List<String> labels,
    @Schema(description = "The data the accuracy was measured on; null for models published before cards existed.",
        nullable = true)
    Dataset dataset,
    @Schema(description = "The jobs and supernet the model comes from; null when it has no job.", nullable = true)
    Lineage lineage,
    @Schema(description = "The release (publication) the model belongs to: the publishing job's id, or a per-space "
        + "id for models published without a job.")
    UUID release) {

  /** The key of the card's JSON in a weights file's metadata. */
  public static final String METADATA_KEY = "prenas.model_card";

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ModelCard {
    labels = labels == null ? null : List.copyOf(labels);
  }

  /**
   * The data set of the evaluation.
   *
   * @param location the job's {@code dataPath} (relative to the server's data directory)
   */
  @Schema(description = "The data set a model was evaluated on.")
  public record Dataset(
      @Schema(description = "The job's dataPath, relative to the server's data directory.",
          example = "demo/fashion-mnist") String location,
      @Schema(description = "Layout of the files.", allowableValues = {"idx", "image-folder"}) String format,
      @Schema(description = "Images per split as the evaluation split them: train and validation, or validation "
          + "alone when the data was evaluated whole.", example = "{\"train\": 60000, \"validation\": 10000}")
      Map<String, Long> images,
      @Schema(description = "Where the validation images come from.", example = "the t10k files") String validation,
      @Schema(description = "SHA-256 (hex) over the sorted lines '<relative name>\\t<size>\\n' of the files read.")
      String fingerprint,
      @Schema(description = "How many files the fingerprint covers.", example = "4") int fingerprintFiles) {}

  /** Where a model comes from. */
  @Schema(description = "The jobs and supernet a model comes from.")
  public record Lineage(
      @Schema(description = "The selection (or imported table, or pipeline) whose preferred table it is from.",
          nullable = true) UUID selectionJob,
      @Schema(description = "The training or pipeline that trained the supernet; null for an imported supernet.",
          nullable = true) UUID trainingJob,
      @Schema(description = "The evaluation or pipeline job that measured and published it.") UUID evaluationJob,
      @Schema(description = "SHA-256 of the supernet weights it was sliced from.", nullable = true)
      String supernetSha256) {}

  /** The card as compact JSON (what the database and the weights files hold). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("model card not serialisable", e);
    }
  }

  /** Reads {@link #toJson()}'s output (members it does not know are ignored). */
  public static ModelCard fromJson(String json) {
    try {
      return JSON.readValue(json, ModelCard.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("malformed model card: " + e.getOriginalMessage(), e);
    }
  }

  /** The metadata entry of a weights file (safetensors or ONNX) that carries this card. */
  public Map<String, String> fileMetadata() {
    return Map.of(METADATA_KEY, toJson());
  }
}
