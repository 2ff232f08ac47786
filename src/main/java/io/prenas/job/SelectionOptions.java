package io.prenas.job;

import io.prenas.supernet.Precision;

/**
 * What a selection runs with (a selection job, or the first part of a pipeline), defaults filled in.
 *
 * @param binMin lower bound of the bins in M params, or {@code null} for the space's range
 * @param binMax upper bound in M params, or {@code null} for the space's range
 * @param binInterval bin width in M params, or {@code null} for the engine's default
 * @param precision number format of the gradient pass
 */
record SelectionOptions(DataPath data, Double binMin, Double binMax, Double binInterval, int candidatesPerBin,
    JobOptions.ScoreMode scoreMode, int batchSize, long seed, Precision precision) {

  static SelectionOptions of(JobOptions o, DataPath data) {
    return new SelectionOptions(data, o.binMin(), o.binMax(), o.binInterval(), o.candidatesPerBin(),
        JobOptions.ScoreMode.parse(o.scoreMode()), o.batchSize(), o.seed(), o.precisionOrDefault());
  }
}
