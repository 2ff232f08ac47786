package io.prenas.training;

import io.prenas.supernet.Precision;

/**
 * Settings of one preferred one-shot training run (spec 5.2). Defaults follow the reference recipe where it makes
 * sense for small data: AdamW (wd 0.05, eps 1e-8, betas 0.9/0.999), {@code lr = 5e-4 * batch / 512}, linear
 * warm-up from 1e-6 then cosine decay to {@code minLr}, label smoothing 0.1, drop-path 0.1, no gradient clipping.
 *
 * @param sampler {@code balanced}, {@code uniform} or {@code redundant}
 * @param warmupEpochs may be fractional (short runs)
 * @param mixup mixing and label smoothing of the targets
 * @param gradClipNorm global gradient-norm clip, 0 = off
 * @param checkpointEverySteps periodic checkpoint interval (also written at the end and on cancel)
 * @param loaderThreads image decoding threads (run beside the compute)
 * @param device {@code cpu}, {@code gpu0}, ...; {@code null} for the engine's default
 * @param distillation BigNAS in-place distillation from the largest preferred architecture; {@code null} means
 *     {@link Distillation#OFF}
 * @param precision of the forward passes: FP32 (the default) or BF16 mixed precision (float32 weights and AdamW)
 */
public record TrainingConfig(int epochs, int batchSize, String sampler, long seed, double lrPer512, double warmupLr,
    double minLr, double warmupEpochs, double weightDecay, double dropPathRate, MixupCutmix mixup,
    double gradClipNorm, boolean flip, int checkpointEverySteps, int loaderThreads, String device,
    Distillation distillation, Precision precision) {

  public TrainingConfig {
    distillation = Distillation.orOff(distillation);
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    if (!java.util.List.of("balanced", "uniform", "redundant").contains(sampler)) {
      throw new IllegalArgumentException("sampler must be balanced, uniform or redundant, got " + sampler);
    }
    if (!(lrPer512 > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lrPer512);
    precision = precision == null ? Precision.FP32 : precision;
    if (checkpointEverySteps <= 0) {
      throw new IllegalArgumentException("checkpoint interval must be positive, got " + checkpointEverySteps);
    }
  }

  /** A float32 run without distillation (the settings as they were before either existed). */
  public TrainingConfig(int epochs, int batchSize, String sampler, long seed, double lrPer512, double warmupLr,
      double minLr, double warmupEpochs, double weightDecay, double dropPathRate, MixupCutmix mixup,
      double gradClipNorm, boolean flip, int checkpointEverySteps, int loaderThreads, String device) {
    this(epochs, batchSize, sampler, seed, lrPer512, warmupLr, minLr, warmupEpochs, weightDecay, dropPathRate, mixup,
        gradClipNorm, flip, checkpointEverySteps, loaderThreads, device, Distillation.OFF, Precision.FP32);
  }

  /** The same settings with {@code distillation}. */
  public TrainingConfig withDistillation(Distillation distillation) {
    return new TrainingConfig(epochs, batchSize, sampler, seed, lrPer512, warmupLr, minLr, warmupEpochs, weightDecay,
        dropPathRate, mixup, gradClipNorm, flip, checkpointEverySteps, loaderThreads, device, distillation,
        precision);
  }

  /** The same settings in {@code precision}. */
  public TrainingConfig withPrecision(Precision precision) {
    return new TrainingConfig(epochs, batchSize, sampler, seed, lrPer512, warmupLr, minLr, warmupEpochs, weightDecay,
        dropPathRate, mixup, gradClipNorm, flip, checkpointEverySteps, loaderThreads, device, distillation,
        precision);
  }

  /** The recipe's defaults for a given length, batch and sampler. */
  public static TrainingConfig defaults(int epochs, int batchSize, String sampler, long seed) {
    return new TrainingConfig(epochs, batchSize, sampler, seed, 5e-4, 1e-6, 1e-5, Math.min(5, epochs / 10.0), 0.05,
        0.1, MixupCutmix.none(0.1), 0, true, 500, 2, null);
  }

  /** The schedule for this run (rates scaled to the batch size). */
  public LearningRateSchedule schedule() {
    return new LearningRateSchedule(LearningRateSchedule.scaledLr(lrPer512, batchSize), warmupLr, minLr,
        warmupEpochs, epochs);
  }
}
