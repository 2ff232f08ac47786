package io.prenas.system;

import io.prenas.job.JobFailedException;
import io.prenas.job.JobOptions;
import io.prenas.job.JobProgress;
import io.prenas.job.SelectionBins;
import io.prenas.job.SelectionEngine;
import io.prenas.selector.GradientSource;
import io.prenas.selector.PhaseListener;
import io.prenas.selector.PhaseTimes;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.ScoredCandidate;
import io.prenas.selector.Selection;
import io.prenas.selector.SelectionSettings;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import io.prenas.selector.ZeroCostSelector;
import io.prenas.space.Resource;
import io.prenas.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selection job's engine: one gradient pass over the space's max architecture (from the space's supernet weights
 * when imported, else the reference's seeded init; on a stored batch or data-free Gaussian images), then the
 * zero-cost selector ({@link ZeroCostSelector#run}: block scores, partial sums, enumeration and scores, bins and
 * top-N), each phase reported to the job as it starts and ends.
 */
class SelectorEngineAdapter implements SelectionEngine {

  /** No drop-path in the gradient pass: the pass is deterministic, so a job can be re-run to the same table. */
  static final double DROP_PATH = 0.0;

  private final int computeThreads;

  SelectorEngineAdapter(EngineProperties engine) {
    this.computeThreads = EngineThreadCount.resolve(engine.threads());
  }

  @Override
  public Outcome select(Command c, JobProgress progress) throws Exception {
    SearchSpace space = c.space();
    SelectionSettings settings = settings(c);
    PhaseTimes times = new PhaseTimes();
    EngineThreadCount.applyToThisThread(computeThreads);
    try {
      progress.phase(GradientSource.GRADIENT_PASS, 1);
      GradientBatch batch = GradientBatch.of(c, progress);
      SnipInputs inputs = GradientSource.fromGradientPass(space, new GradientSource.PassSettings(c.supernetWeights(),
          null, c.batchSize(), GradientSource.DEFAULT_MICRO_BATCH, c.seed(), DROP_PATH,
          null, null, c.precision()), batch.images(), batch.labels(), times); // loss null: the space's reference loss
      progress.step(1);

      PhaseListener reported = new PhaseListener() {
        @Override
        public void started(String phase) {
          progress.phase(phase, 1);
        }

        @Override
        public void finished(String phase, long elapsedNanos) {
          progress.step(1);
        }
      };
      Selection selection = ZeroCostSelector.run(space, inputs, scoreMode(c.scoreMode()), settings,
          computeThreads, times.andThen(reported)).selection();

      List<Preferred> preferred = new ArrayList<>();
      for (Selection.BinResult bin : selection.nonEmptyBins()) {
        int rank = 1;
        for (ScoredCandidate s : bin.top()) {
          preferred.add(new Preferred(bin.bin().key(), bin.bin().lower(), bin.bin().upper(), rank++,
              s.architecture(), s.params(), s.flops(), s.score()));
        }
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("enumerated", selection.enumerated());
      metrics.put("outsideBins", selection.outsideBins());
      metrics.put("bins", Map.of("min", settings.min(), "max", settings.max(), "interval", settings.interval(),
          "unit", "M params", "topN", settings.topN()));
      Map<String, Double> seconds = new LinkedHashMap<>();
      times.nanos().forEach((k, v) -> seconds.put(k, v / 1e9));
      metrics.put("phaseSeconds", seconds);
      return new Outcome(preferred, metrics);
    } catch (SelectorException e) {
      throw new JobFailedException(e.getMessage(), e);
    }
  }

  /** The selector's score mode of a job's {@code options.scoreMode}. */
  static ScoreMode scoreMode(JobOptions.ScoreMode mode) {
    return switch (mode) {
      case SUBNET -> ScoreMode.SUBNET;
      case REFERENCE -> ScoreMode.REFERENCE;
    };
  }

  /** The job's bins ({@link SelectionBins}: its own, or equal bins over the space's parameter range). */
  static SelectionSettings settings(Command c) {
    SelectionBins bins = SelectionBins.of(c.space(), c.binMin(), c.binMax(), c.binInterval());
    try {
      return new SelectionSettings(Resource.PARAMS, bins.min(), bins.max(), bins.interval(), c.candidatesPerBin());
    } catch (SelectorException e) {
      throw new JobFailedException("options: " + e.getMessage(), e);
    }
  }
}
