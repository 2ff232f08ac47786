package io.prenas.job;

import io.prenas.supernet.Precision;
import java.util.UUID;

/**
 * What a training runs with (a training job, or the training part of a pipeline), defaults filled in.
 *
 * @param selectionJob the selection whose preferred table is trained, or {@code null} for the space's latest
 * @param trainingJob the training whose supernet this one starts from, or {@code null}
 * @param learningRate peak learning rate, or {@code null} for the recipe's
 * @param warmupEpochs warm-up epochs, or {@code null} for the recipe's
 * @param distill BigNAS in-place distillation (a row stored before the option existed has none: off)
 * @param precision of training (and of a pipeline's evaluation)
 */
record TrainingOptions(DataPath data, int epochs, int batchSize, JobOptions.Sampler sampler, long seed,
    UUID selectionJob, UUID trainingJob, Double learningRate, Double warmupEpochs, boolean distill,
    Precision precision) {

  static TrainingOptions of(JobOptions o, DataPath data) {
    return new TrainingOptions(data, o.epochs(), o.batchSize(), JobOptions.Sampler.parse(o.sampler()), o.seed(),
        o.selectionJob(), o.trainingJob(), o.learningRate(), o.warmupEpochs(), Boolean.TRUE.equals(o.distill()),
        o.precisionOrDefault());
  }
}
