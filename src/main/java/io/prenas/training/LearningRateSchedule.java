package io.prenas.training;

/**
 * Linear warm-up, then cosine decay (timm {@code CosineLRScheduler}, spec 5.2):
 * {@code lr(t) = warmupLr + t (base - warmupLr) / warmup} for {@code t < warmup}, else
 * {@code minLr + (base - minLr)(1 + cos(pi t / total)) / 2}, with t counted from 0 (not from the end of warm-up),
 * as timm 0.3.2 does.
 *
 * <p>t is a fractional epoch: we update the rate every step ({@code t = epoch + step/stepsPerEpoch}), where the
 * reference steps the scheduler once per epoch, after the epoch (so its epoch k trains with lr(k-1)). Per-step
 * updates matter for the short runs this server does; {@link #perEpochReference} reproduces the reference.
 */
public record LearningRateSchedule(double baseLr, double warmupLr, double minLr, double warmupEpochs,
    double totalEpochs) {

  public LearningRateSchedule {
    if (!(baseLr > 0) || warmupLr < 0 || minLr < 0 || warmupEpochs < 0 || !(totalEpochs > 0)) {
      throw new IllegalArgumentException("invalid learning-rate schedule " + baseLr + "/" + warmupLr + "/" + minLr
          + "/" + warmupEpochs + "/" + totalEpochs);
    }
  }

  /** The reference's scaling rule: {@code lr = 5e-4 * globalBatch / 512}. */
  public static double scaledLr(double lrPer512, int globalBatch) {
    return lrPer512 * globalBatch / 512.0;
  }

  /** Rate at fractional epoch t. */
  public double at(double t) {
    if (t < warmupEpochs) {
      return warmupLr + t * (baseLr - warmupLr) / warmupEpochs;
    }
    return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t / totalEpochs));
  }

  /** Rate for a step within an epoch, updated every step. */
  public double at(int epoch, long step, long stepsPerEpoch) {
    return at(epoch + (double) step / Math.max(1, stepsPerEpoch));
  }

  /** The reference's per-epoch behaviour: epoch 0 trains at lr(0), epoch k at lr(k - 1). */
  public double perEpochReference(int epoch) {
    return at(Math.max(0, epoch - 1));
  }
}
