package io.prenas.cnn.engine;

/**
 * How a pass uses and updates the BatchNorm statistics (spec §5, §6): normalise with the stored running statistics
 * (evaluation) or with the batch's own (training, recalibration), and if so move the running slices towards the
 * batch's by {@code updateFactor} (PyTorch's momentum in training, 1/k for the k-th batch of a recalibration; 0 =
 * leave them).
 */
record BatchNormMode(boolean batchStatistics, double updateFactor) {

  static final BatchNormMode STORED = new BatchNormMode(false, 0);

  BatchNormMode {
    if (!(updateFactor >= 0 && updateFactor <= 1) || (!batchStatistics && updateFactor != 0)) {
      throw new IllegalArgumentException("invalid BatchNorm mode: batch statistics " + batchStatistics
          + ", update factor " + updateFactor);
    }
  }

  /** Batch statistics, running slices updated with {@code factor} (0: not updated). */
  static BatchNormMode batch(double factor) {
    return new BatchNormMode(true, factor);
  }

  boolean updates() {
    return updateFactor > 0;
  }
}
