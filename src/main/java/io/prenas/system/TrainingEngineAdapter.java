package io.prenas.system;

import io.prenas.data.DataException;
import io.prenas.data.DataSplit;
import io.prenas.data.ImageSource;
import io.prenas.job.JobCancelledException;
import io.prenas.job.JobFailedException;
import io.prenas.job.JobProgress;
import io.prenas.job.TrainingEngine;
import io.prenas.observability.TrainingMetrics;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceException;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.tensorio.SafetensorsException;
import io.prenas.tensorio.Tensor;
import io.prenas.training.Checkpoint;
import io.prenas.training.CheckpointListener;
import io.prenas.training.Distillation;
import io.prenas.training.Evaluator;
import io.prenas.training.Recalibration;
import io.prenas.training.PreferredTrainer;
import io.prenas.training.ProgressListener;
import io.prenas.training.TrainingConfig;
import io.prenas.training.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The training, evaluation and export engine of jobs, over {@link PreferredTrainer}, {@link Evaluator} and the
 * space family's {@link SupernetFactory#export}. One training or evaluation runs at a time in this JVM (a lock, on top of JobRunr's single
 * worker thread, so a resumed job run by other means waits its turn). Progress goes to the job row through
 * {@link JobProgress#report} (throttled there) and, at every step, to the {@link TrainingMetrics}; log-worthy
 * messages to its log, and each checkpoint the trainer completes is handed to the job's {@link CheckpointSink} at
 * once, as the trainer reports it (file, step, SHA-256).
 */
class TrainingEngineAdapter implements TrainingEngine {

  /** Held out for validation when the data has no validation set (as the CLI's default). */
  static final double VALIDATION_FRACTION = DataSplit.DEFAULT_VALIDATION_FRACTION;

  private final ReentrantLock engineLock = new ReentrantLock(true);
  private final TrainingProperties training;
  private final TrainingMetrics metrics;
  private final int computeThreads;

  TrainingEngineAdapter(TrainingProperties training, EngineProperties engine, TrainingMetrics metrics) {
    this.training = training;
    this.metrics = metrics;
    this.computeThreads = EngineThreadCount.resolve(engine.threads());
  }

  @Override
  public TrainingOutcome train(TrainingCommand c, JobProgress progress, CheckpointSink checkpoints)
      throws Exception {
    lock(progress);
    try {
      return trainLocked(c, progress, checkpoints);
    } finally {
      engineLock.unlock();
    }
  }

  private TrainingOutcome trainLocked(TrainingCommand c, JobProgress progress, CheckpointSink checkpoints)
      throws Exception {
    SearchSpace space = c.space();
    TrainingConfig config = config(c);
    DataSplit split = open(c.dataDir(), c.seed());
    progress.log("data: " + split.description() + ": " + split.train().size() + " training, "
        + split.validation().size() + " validation images, " + split.train().numClasses() + " classes");
    PreferredTrainer trainer;
    Checkpoint resume;
    Map<String, Tensor> init = null;
    try {
      trainer = new PreferredTrainer(space, c.preferred(), config);
      resume = c.resumeFrom() == null ? null : Checkpoint.read(c.resumeFrom());
      if (resume == null && c.initialWeights() != null) {
        init = supernetWeights(c.initialWeights());
      }
    } catch (SafetensorsException | IllegalArgumentException e) {
      throw new JobFailedException(e.getMessage(), e);
    }
    long totalSteps = (long) PreferredTrainer.stepsPerEpoch(split.train().size(), c.batchSize()) * c.epochs();
    long resumedAt = resume == null ? 0 : resume.state().globalStep();
    progress.phase("training", totalSteps);
    if (resumedAt > 0) {
      progress.report(resumedAt, Double.NaN, Map.of("globalStep", resumedAt, "resumedFromStep", resumedAt),
          true);
    }
    Files.createDirectories(c.workDir());
    TrainingMetrics.Run meters = metrics.start(c.batchSize(), resumedAt);
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(TrainingProgress p) {
        meters.step(p.done(), p.imagesPerSecond(), p.loss()); // every step, not throttled like the row
        progress.report(p.done(), p.etaSeconds(), () -> trainingMetrics(p));
      }

      @Override
      public void onMessage(String message) {
        progress.log(message);
      }
    };
    CheckpointListener handOver = written -> {
      try {
        checkpoints.written(new CheckpointFile(written.file(), written.step(), written.sha256()));
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("could not store checkpoint " + written.file() + ": " + e.getMessage(), e);
      }
    };
    PreferredTrainer.Result r;
    try (meters) {
      r = trainer.train(split, c.workDir(), init, resume, listener, handOver, progress::cancelRequested);
    } catch (IllegalArgumentException | UnsupportedOperationException e) { // bad input; bf16 on a CNN space
      throw new JobFailedException(e.getMessage(), e);
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("globalStep", r.globalStep());
    metrics.put("totalSteps", r.totalSteps());
    metrics.put("skippedSteps", r.skippedSteps());
    metrics.put("skippedByArchitecture", r.skipped().byArchitecture());
    metrics.put("resumedFromStep", resumedAt);
    metrics.put("stepsThisAttempt", r.globalStep() - resumedAt);
    if (Double.isFinite(r.lastLoss())) {
      metrics.put("loss", r.lastLoss());
    }
    metrics.put("corruptImages", r.corruptImages().size());
    return new TrainingOutcome(r.checkpoint(), r.supernet(), r.globalStep(), r.totalSteps(), r.skippedSteps(),
        resumedAt, r.cancelled(), metrics);
  }

  @Override
  public List<Accuracy> evaluate(EvaluationCommand c, JobProgress progress) throws Exception {
    lock(progress);
    try {
      ImageSource images = c.wholeWhenUnsplit() ? validationOrAll(c.dataDir()) : open(c.dataDir(), c.seed())
          .validation();
      Map<String, Tensor> weights = supernetWeights(c.supernetWeights());
      List<ArchitectureEntry> entries = new ArrayList<>();
      for (int i = 0; i < c.architectures().size(); i++) {
        entries.add(new ArchitectureEntry(i, null, c.architectures().get(i)));
      }
      progress.phase("evaluation", (long) images.size() * entries.size());
      ProgressListener listener = new ProgressListener() {
        @Override
        public void onProgress(TrainingProgress p) {
          progress.report(p.done(), p.etaSeconds(), () -> evaluationMetrics(p));
        }

        @Override
        public void onMessage(String message) {
          progress.log(message);
        }
      };
      List<Evaluator.Measurement> measured;
      try {
        measured = new Evaluator(c.space(), c.batchSize(), training.loaderThreads()).withPrecision(c.precision())
            .evaluate(weights, entries,
            images, recalibration(c.dataDir(), c.seed()), listener, progress::cancelRequested);
      } catch (CancellationException e) {
        throw new JobCancelledException();
      } catch (IllegalArgumentException | UnsupportedOperationException e) { // also bf16 on a CNN space
        throw new JobFailedException(e.getMessage(), e);
      }
      List<Accuracy> out = new ArrayList<>();
      for (Evaluator.Measurement m : measured) {
        out.add(new Accuracy(c.architectures().get(m.index()), m.params(), m.flops(), m.acc1(), m.acc5(), m.loss(),
            m.images()));
      }
      return out;
    } finally {
      engineLock.unlock();
    }
  }

  @Override
  public List<Exported> export(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dir,
      RecalibrationData recalibrationData) throws Exception {
    Files.createDirectories(dir);
    List<Exported> out = new ArrayList<>();
    SupernetFactory family;
    try {
      family = ModelFamilies.port(space, SupernetFactory.class);
    } catch (SpaceException e) { // the space's family has no supernet (yet): no retry makes one
      throw new JobFailedException(e.getMessage(), e);
    }
    try (Supernet supernet = family.fromTensors(space, supernetWeights(supernetWeights), training.deviceOrNull())) {
      List<Tensor> batches = supernet.hasBatchStatistics() && recalibrationData != null
          ? recalibration(recalibrationData.dataDir(), recalibrationData.seed()).draw(space) : null;
      for (int i = 0; i < architectures.size(); i++) {
        Architecture a = architectures.get(i);
        if (batches != null) { // the same seeded batches as the evaluation: the export carries the measured statistics
          Recalibration.apply(supernet, a, batches);
        }
        SupernetFactory.Exported e = family.export(supernet, a, dir.resolve(i + ".safetensors"),
            dir.resolve(i + ".json"));
        out.add(new Exported(a, e.weights(), e.config(), e.parameterCount(), e.tensorCount()));
      }
    } catch (IllegalArgumentException e) { // SpaceException, WeightsException
      throw new JobFailedException(e.getMessage(), e);
    }
    return out;
  }

  /** BatchNorm recalibration on the training part of a job's data (drawn only for a family with BatchNorm). */
  private Recalibration recalibration(Path dataDir, long seed) {
    return new Recalibration(() -> open(dataDir, seed).train(), training.recalibrationBatches(),
        training.recalibrationBatchSize(), seed, training.loaderThreads());
  }

  private TrainingConfig config(TrainingCommand c) {
    TrainingConfig d;
    try {
      d = TrainingConfig.defaults(c.epochs(), c.batchSize(), c.sampler().apiName(), c.seed());
    } catch (IllegalArgumentException e) {
      throw new JobFailedException(e.getMessage(), e);
    }
    // The config keeps the reference's per-512 form; an absolute learning rate is converted back to it.
    double lrPer512 = c.learningRate() == null ? d.lrPer512() : c.learningRate() * 512.0 / c.batchSize();
    double warmup = c.warmupEpochs() == null ? d.warmupEpochs() : c.warmupEpochs();
    return new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), lrPer512, d.warmupLr(),
        d.minLr(), warmup, d.weightDecay(), d.dropPathRate(), d.mixup(), d.gradClipNorm(), d.flip(),
        training.checkpointEvery(), training.loaderThreads(), training.deviceOrNull())
        .withDistillation(c.distill() ? Distillation.on(1) : Distillation.OFF) // BigNAS's temperature 1
        .withPrecision(c.precision());
  }

  /** Waits for the engine (one training or evaluation per JVM), saying so in the job's log when it has to wait. */
  private void lock(JobProgress progress) throws InterruptedException {
    if (!engineLock.tryLock()) {
      progress.log("waiting for the training engine (another training or evaluation runs in this worker)");
      engineLock.lockInterruptibly();
    }
    EngineThreadCount.applyToThisThread(computeThreads);
  }

  /** A job's data split (the same for training, evaluation and a selection's gradient batch). */
  static DataSplit open(Path dataDir, long seed) throws IOException {
    try {
      return DataSplit.open(dataDir, VALIDATION_FRACTION, seed);
    } catch (DataException e) {
      throw new JobFailedException("options.dataPath: " + e.getMessage(), e);
    }
  }

  static ImageSource validationOrAll(Path dataDir) throws IOException {
    try {
      return DataSplit.validationOrAll(dataDir);
    } catch (DataException e) {
      throw new JobFailedException("options.dataPath: " + e.getMessage(), e);
    }
  }

  /** Supernet weights from a weights file or a training checkpoint (optimiser tensors dropped). */
  static Map<String, Tensor> supernetWeights(Path file) throws IOException {
    try {
      return Checkpoint.readWeights(file);
    } catch (SafetensorsException e) {
      throw new JobFailedException("supernet weights " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> trainingMetrics(TrainingProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", p.epoch());
    m.put("globalStep", p.done());
    m.put("totalSteps", p.total());
    putFinite(m, "loss", p.loss());
    putFinite(m, "learningRate", p.learningRate());
    putFinite(m, "distillationLoss", p.distillationLoss());
    putFinite(m, "imagesPerSecond", p.imagesPerSecond());
    m.put("skippedSteps", p.skippedSteps());
    m.put("skippedByArchitecture", p.skipped().byArchitecture());
    m.put("architecture", p.architecture());
    return m;
  }

  private static Map<String, Object> evaluationMetrics(TrainingProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    putFinite(m, "imagesPerSecond", p.imagesPerSecond());
    putFinite(m, "evaluationLoss", p.loss());
    m.put("architecture", p.architecture());
    return m;
  }

  private static void putFinite(Map<String, Object> m, String key, double v) {
    if (Double.isFinite(v)) {
      m.put(key, v);
    }
  }
}
