package io.prenas.job;

import java.util.UUID;

/**
 * What an evaluation runs with, defaults filled in.
 *
 * @param data the validation data, or {@link DataPath#NONE} for the data of the evaluated training
 * @param trainingJob the training or pipeline whose supernet is evaluated, or {@code null} for the space's latest
 */
record EvaluationOptions(DataPath data, int batchSize, UUID trainingJob) {

  static EvaluationOptions of(JobOptions o, DataPath data) {
    return new EvaluationOptions(data, o.batchSize(), o.trainingJob());
  }
}
