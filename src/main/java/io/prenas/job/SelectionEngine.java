package io.prenas.job;

import io.prenas.selector.ScoreMode;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The port through which a selection job calls the zero-cost selector. Implemented in {@code io.prenas.system} over
 * {@code io.prenas.selector}; takes and returns plain records, so no engine type reaches this package.
 */
public interface SelectionEngine {

  /**
   * Runs the selection and returns the preferred table. Implementations report phases and steps through
   * {@code progress} and call {@link JobProgress#checkCancelled()} between steps.
   */
  Outcome select(Command command, JobProgress progress) throws Exception;

  /**
   * What to select.
   *
   * @param space the search space
   * @param supernetWeights imported or trained supernet weights (reference safetensors layout), or {@code null} to
   *     score a freshly initialised supernet (seeded)
   * @param dataDir images for the gradient batch, or {@code null} for the engine's seeded synthetic batch
   * @param binMin lower parameter bound in millions, or {@code null} for the space's range
   * @param binMax upper parameter bound in millions, or {@code null} for the space's range
   * @param binInterval bin width in millions, or {@code null} for the engine's default
   * @param precision number format of the gradient pass ({@code null}: fp32)
   */
  record Command(SearchSpace space, Path supernetWeights, Path dataDir, Double binMin, Double binMax,
      Double binInterval, int candidatesPerBin, JobOptions.ScoreMode scoreMode, int batchSize, long seed,
      Precision precision) {
    public Command {
      if (space == null || scoreMode == null) {
        throw new IllegalArgumentException("space and scoreMode are required");
      }
      if (candidatesPerBin <= 0 || batchSize <= 0) {
        throw new IllegalArgumentException("candidatesPerBin and batchSize must be positive");
      }
      if (precision == null) {
        precision = Precision.FP32;
      }
    }

    /** A float32 selection. */
    public Command(SearchSpace space, Path supernetWeights, Path dataDir, Double binMin, Double binMax,
        Double binInterval, int candidatesPerBin, JobOptions.ScoreMode scoreMode, int batchSize, long seed) {
      this(space, supernetWeights, dataDir, binMin, binMax, binInterval, candidatesPerBin, scoreMode, batchSize, seed,
          Precision.FP32);
    }
  }

  /** One kept candidate of a bin ({@code binKey} is the reference's key: the bin's upper bound in M, e.g. "6.0"). */
  record Preferred(String binKey, double binLower, double binUpper, int rank, Architecture architecture, long params,
      double flops, double score) {}

  /** The preferred table and a few figures of the run (timings, candidate counts). */
  record Outcome(List<Preferred> preferred, Map<String, Object> metrics) {
    public Outcome {
      preferred = List.copyOf(preferred);
      metrics = Map.copyOf(metrics);
    }
  }
}
