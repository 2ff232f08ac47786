package io.prenas.job;

import io.prenas.supernet.Precision;
import java.util.UUID;

/**
 * What an evaluation runs with, defaults filled in.
 *
 * @param data the images, or {@link DataPath#NONE} for the data of the evaluated training
 * @param trainingJob the training or pipeline whose supernet is evaluated, or {@code null} for the space's latest
 *     (only with {@link JobOptions.SupernetSource#TRAINED})
 * @param selectionJob the selection (or import) whose preferred table is evaluated, or {@code null}: the trained
 *     supernet's own table, or the space's latest table for the imported supernet
 * @param supernet which supernet is evaluated
 * @param publish whether every preferred subnet is then published as a model
 * @param precision of the evaluation's forward passes
 */
record EvaluationOptions(DataPath data, int batchSize, UUID trainingJob, UUID selectionJob,
    JobOptions.SupernetSource supernet, boolean publish, Precision precision) {

  static EvaluationOptions of(JobOptions o, DataPath data) {
    return new EvaluationOptions(data, o.batchSize(), o.trainingJob(), o.selectionJob(), o.supernetSource(),
        Boolean.TRUE.equals(o.publish()), o.precisionOrDefault());
  }
}
