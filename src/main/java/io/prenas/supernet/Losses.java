package io.prenas.supernet;

import ai.djl.ndarray.NDArray;

/** Training objectives on logits (B, C). */
public final class Losses {

  private Losses() {}

  /** The zero-cost selector's "loss" (spec 4.1): the plain sum of all logits. */
  public static NDArray sumOfLogits(NDArray logits) {
    return logits.sum();
  }

  /**
   * Cross-entropy with label smoothing as timm's {@code LabelSmoothingCrossEntropy}:
   * {@code mean_n[(1 - s) * -log p(y_n) + s * mean_c(-log p(c))]}; {@code s = 0} is plain cross-entropy.
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
    long classes = logits.getShape().get(1);
    NDArray oneHot = labels.oneHot((int) classes).toType(logits.getDataType(), false);
    NDArray target = Scalars.add(Scalars.mul(oneHot, (float) (1 - smoothing)), (float) (smoothing / classes));
    return softTargetCrossEntropy(logits, target);
  }

  /**
   * The training loss: {@code mean_n(-sum_c t_nc log p_nc)} for soft targets (B, C) whose rows sum to 1 (label
   * smoothing, mixup and CutMix already applied), timm's {@code SoftTargetCrossEntropy}.
   */
  public static NDArray softTargetCrossEntropy(NDArray logits, NDArray targets) {
    NDArray logProbs = logits.logSoftmax(1);
    return logProbs.mul(targets).sum(new int[] {1}).neg().mean();
  }

  /**
   * The teacher's soft labels for in-place distillation: {@code softmax(logits / T)}, computed without recording and
   * detached, so that the student's loss sends no gradient into the teacher's forward pass.
   */
  public static NDArray softLabels(NDArray teacherLogits, double temperature) {
    try (GradMode ignored = GradMode.disabled()) {
      NDArray logits = teacherLogits.stopGradient();
      return (temperature == 1 ? logits : Scalars.div(logits, temperature)).softmax(1);
    }
  }

  /**
   * The student's in-place distillation loss: cross-entropy against the teacher's {@link #softLabels}; at a
   * temperature T other than 1, of {@code logits / T} and scaled by {@code T^2} (Hinton et al.: the gradient keeps
   * its size as T changes). At T = 1 this is exactly {@link #softTargetCrossEntropy}.
   */
  public static NDArray distillation(NDArray studentLogits, NDArray softLabels, double temperature) {
    if (temperature == 1) {
      return softTargetCrossEntropy(studentLogits, softLabels);
    }
    return Scalars.mul(softTargetCrossEntropy(Scalars.div(studentLogits, temperature), softLabels),
        temperature * temperature);
  }
}
