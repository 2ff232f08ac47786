package io.prenas.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The members a job's {@code metrics} can have, declared for generated clients. The server never binds this type:
 * engines merge their metrics into the job row as they run, and a response passes them on. Each job type fills the
 * members of its phases; all are optional. Tests check every job they run against this schema (an undeclared member
 * fails them), so the declaration cannot drift from what jobs write.
 */
@Schema(name = "JobMetrics", description = "What a job measured so far; each job type fills the members of its "
    + "phases, all optional.")
record JobMetrics(
    @Schema(description = "Selection: preferred architectures stored; training: size of the preferred set.",
        example = "6") Integer preferred,
    @Schema(description = "Selection: candidates scored.", example = "1770") Long enumerated,
    @Schema(description = "Selection: candidates outside every bin.", example = "12") Long outsideBins,
    @Schema(description = "Selection: the bins asked for.") SelectionBinsMetric bins,
    @Schema(description = "Imported preferred table: the number of its bins.", example = "6") Long binCount,
    @Schema(description = "Selection: seconds per phase.") Map<String, Double> phaseSeconds,
    @Schema(description = "Training: current epoch (0-based).", example = "3") Integer epoch,
    @Schema(description = "Training: optimiser steps done, over all attempts.", example = "1200") Long globalStep,
    @Schema(description = "Training: steps of the whole run.", example = "4000") Long totalSteps,
    @Schema(description = "Training: the step this attempt resumed from (0 for a fresh start).", example = "0")
    Long resumedFromStep,
    @Schema(description = "Training: steps run by this attempt.", example = "1200") Long stepsThisAttempt,
    @Schema(description = "Training: latest training loss.", example = "2.31") Double loss,
    @Schema(description = "Training: current learning rate.", example = "0.0005") Double learningRate,
    @Schema(description = "Training with the distill option: latest loss of the sampled architecture against the "
        + "teacher's soft labels (loss is then the teacher's loss against the labels).", example = "0.84")
    Double distillationLoss,
    @Schema(description = "Training or evaluation: throughput of the last steps.", example = "41.5")
    Double imagesPerSecond,
    @Schema(description = "Training: steps skipped for a non-finite loss.", example = "0") Long skippedSteps,
    @Schema(description = "Training: skipped steps per architecture id.") Map<String, Long> skippedByArchitecture,
    @Schema(description = "Training: the architecture of the latest step; evaluation: the one being evaluated.",
        example = "e192_d12_h4-4-3_m4-3.5-4") String architecture,
    @Schema(description = "Training: images that could not be decoded and were left out.", example = "0")
    Long corruptImages,
    @Schema(description = "Evaluation: running loss of the architecture being evaluated.", example = "1.02")
    Double evaluationLoss,
    @Schema(description = "Evaluation: accuracy of every preferred architecture, in table order.")
    List<EvaluationMetric> evaluation,
    @Schema(description = "Publication: the models this job published.") List<PublishedMetric> published,
    @Schema(description = "The selection this job used or made.", format = "uuid") String selectionJob,
    @Schema(description = "The training whose supernet this job used or made.", format = "uuid") String trainingJob,
    @Schema(description = "SHA-256 of the supernet this job trained or evaluated.") String supernetSha256) {

  @Schema(name = "SelectionBinsMetric", description = "The bins of a selection.")
  record SelectionBinsMetric(@Schema(example = "5.0") double min, @Schema(example = "11.0") double max,
      @Schema(example = "1.0") double interval,
      @Schema(description = "Unit of the bounds.", example = "M params") String unit,
      @Schema(description = "Architectures kept per bin.", example = "1") int topN) {}

  @Schema(name = "PublishedMetric", description = "A model a job published.")
  record PublishedMetric(@Schema(example = "17") long id, @Schema(example = "e192_d12_h4-4-3_m4-3.5-4") String archId,
      @Schema(example = "5994760") long params, @Schema(example = "1.39e9") double flops,
      @Schema(description = "Validation top-1 accuracy in percent.", example = "77.1") Double valTop1,
      @Schema(description = "SHA-256 of the weights file.") String sha256,
      @Schema(description = "SHA-256 of the ONNX file; null for a model family without an ONNX export.")
      String onnxSha256,
      @Schema(description = "The release the model belongs to (the publishing job's id).", format = "uuid")
      String release) {}

  @Schema(name = "EvaluationMetric", description = "Accuracy of one preferred architecture.")
  record EvaluationMetric(@Schema(example = "e192_d12_h4-4-3_m4-3.5-4") String archId,
      @Schema(description = "The bin's key (its upper bound).", example = "6.0") String binKey,
      @Schema(example = "5994760") long params, @Schema(example = "1.39e9") double flops,
      @Schema(description = "Top-1 accuracy in percent.", example = "77.1") double top1,
      @Schema(description = "Top-5 accuracy in percent.", example = "93.4") double top5,
      @Schema(description = "Mean cross-entropy.", example = "1.02") Double loss,
      @Schema(description = "Images evaluated.", example = "10000") long images) {}
}
