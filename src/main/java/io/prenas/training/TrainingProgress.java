package io.prenas.training;

/**
 * A progress report: what runs, how far it is, how fast, and the latest metrics.
 *
 * @param phase {@code training} or {@code evaluation}
 * @param done steps (training) or images (evaluation) finished
 * @param total steps or images in the whole phase
 * @param etaSeconds estimated time to the end of the phase, NaN when unknown
 * @param loss latest training loss (mean over the last reporting window) or running evaluation loss
 * @param skipped training steps skipped so far for a non-finite loss or gradient, per architecture
 * @param architecture id of the architecture of the latest step or being evaluated
 * @param distillationLoss with in-place distillation, the latest student loss against the teacher's soft labels;
 *     NaN otherwise ({@code loss} is then the teacher's loss against the labels)
 */
public record TrainingProgress(String phase, int epoch, long done, long total, double imagesPerSecond,
    double etaSeconds, double loss, double learningRate, SkippedSteps skipped, String architecture,
    double distillationLoss) {

  /** A report without a distillation loss. */
  public TrainingProgress(String phase, int epoch, long done, long total, double imagesPerSecond, double etaSeconds,
      double loss, double learningRate, SkippedSteps skipped, String architecture) {
    this(phase, epoch, done, total, imagesPerSecond, etaSeconds, loss, learningRate, skipped, architecture,
        Double.NaN);
  }

  public long skippedSteps() {
    return skipped.total();
  }

  public double percent() {
    return total == 0 ? 100 : 100.0 * done / total;
  }
}
