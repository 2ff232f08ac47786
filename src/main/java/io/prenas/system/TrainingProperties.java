package io.prenas.system;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.training.*}: how a worker runs training jobs.
 *
 * @param checkpointEvery checkpoint every N steps (also at the end and on cancel); a job picked up again resumes
 *     from the latest
 * @param loaderThreads image-decoding threads beside the compute (0 counts as 1)
 * @param device {@code cpu}, {@code gpu0}, ...; blank: the engine's default
 * @param recalibrationBatches batches of training images on which each architecture's BatchNorm statistics are
 *     re-estimated before its evaluation and export (families with BatchNorm, e.g. CNNs; a ViT has none)
 * @param recalibrationBatchSize images per recalibration batch
 */
@Validated
@ConfigurationProperties("prenas.training")
public record TrainingProperties(
    @DefaultValue("200") @Positive int checkpointEvery,
    @DefaultValue("2") @PositiveOrZero int loaderThreads,
    @DefaultValue("") String device,
    @DefaultValue("8") @Positive int recalibrationBatches,
    @DefaultValue("64") @Positive int recalibrationBatchSize) {

  public TrainingProperties {
    device = device == null ? "" : device.strip();
  }

  /** The device to train on; {@code null} for the engine's default. */
  public String deviceOrNull() {
    return device.isEmpty() ? null : device;
  }
}
