package io.prenas.job;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The port through which training, evaluation and pipeline jobs call the DJL engine (preferred one-shot training,
 * evaluation of the preferred subnets, export of standalone subnets). Implemented in {@code io.prenas.system}; takes
 * and returns plain records and files, so no engine type reaches this package. While a build has none, those jobs
 * fail with {@link #UNAVAILABLE}.
 *
 * <p>Implementations report phases and steps through the {@link JobProgress}, run one training or evaluation at a
 * time per JVM, and throw {@link JobFailedException} for input that no retry can fix (bad data, a checkpoint of other
 * settings, an architecture outside the space) and {@link JobCancelledException} when an evaluation is cancelled.
 */
public interface TrainingEngine {

  /** The failure reason of a training, evaluation or pipeline job in a build without a training engine. */
  String UNAVAILABLE = "training engine not available in this build";

  /**
   * Trains the supernet on the preferred set. Checkpoints are written under {@code command.workDir()} and handed to
   * {@code checkpoints} as soon as each is complete (periodically, at the end and on cancel). A cancel (polled
   * through {@link JobProgress#cancelRequested()} before every step) does not throw: it returns an outcome with
   * {@code cancelled} set after its checkpoint was handed over.
   */
  TrainingOutcome train(TrainingCommand command, JobProgress progress, CheckpointSink checkpoints) throws Exception;

  /** Validates each architecture on the validation part of the data (top-1, top-5 in percent, mean loss). */
  List<Accuracy> evaluate(EvaluationCommand command, JobProgress progress) throws Exception;

  /**
   * Writes each architecture's standalone subnet ({@code <index>.safetensors} and {@code <index>.json}) into
   * {@code dir}, sliced from one load of the supernet weights. A family with BatchNorm has each architecture's
   * statistics recalibrated first on the training images of {@code recalibration} (the same draw as
   * {@link #evaluate}'s, so the model carries the statistics it was measured with); {@code null} exports the
   * supernet's running statistics.
   */
  List<Exported> export(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dir,
      RecalibrationData recalibration) throws Exception;

  /**
   * The images BatchNorm statistics are recalibrated on: the training part of this data (split by {@code seed} as
   * for training and evaluation).
   */
  record RecalibrationData(Path dataDir, long seed) {}

  /** Receives each complete checkpoint (the job stores it as an artifact and records it on its row). */
  @FunctionalInterface
  interface CheckpointSink {
    void written(CheckpointFile checkpoint) throws Exception;
  }

  /**
   * A checkpoint the trainer has completely written.
   *
   * @param file the checkpoint file in the job's work folder (replaced by the next checkpoint)
   * @param step the global step a resume from it starts at
   * @param sha256 lower-case hex SHA-256 of its bytes
   */
  record CheckpointFile(Path file, long step, String sha256) {}

  /**
   * What to train.
   *
   * @param dataDir IDX folder or ImageFolder (a hold-out of 10% is used for validation when the data has none)
   * @param initialWeights supernet weights (or a checkpoint) to start from, or {@code null} for a seeded fresh init
   * @param resumeFrom the job's last checkpoint to continue from exactly, or {@code null}
   * @param workDir the job's own directory for checkpoint and weights files
   * @param distill BigNAS in-place distillation from the largest preferred architecture
   * @param precision of the training's forward passes
   */
  record TrainingCommand(SearchSpace space, List<Architecture> preferred, Path dataDir, int epochs, int batchSize,
      JobOptions.Sampler sampler, long seed, Path initialWeights, Path resumeFrom, Path workDir, Double learningRate,
      Double warmupEpochs, boolean distill, Precision precision) {
    public TrainingCommand {
      preferred = List.copyOf(preferred);
      precision = precision == null ? Precision.FP32 : precision;
    }

    /** A float32 training without distillation. */
    public TrainingCommand(SearchSpace space, List<Architecture> preferred, Path dataDir, int epochs, int batchSize,
        JobOptions.Sampler sampler, long seed, Path initialWeights, Path resumeFrom, Path workDir,
        Double learningRate, Double warmupEpochs) {
      this(space, preferred, dataDir, epochs, batchSize, sampler, seed, initialWeights, resumeFrom, workDir,
          learningRate, warmupEpochs, false, Precision.FP32);
    }

    /** A float32 training. */
    public TrainingCommand(SearchSpace space, List<Architecture> preferred, Path dataDir, int epochs, int batchSize,
        JobOptions.Sampler sampler, long seed, Path initialWeights, Path resumeFrom, Path workDir,
        Double learningRate, Double warmupEpochs, boolean distill) {
      this(space, preferred, dataDir, epochs, batchSize, sampler, seed, initialWeights, resumeFrom, workDir,
          learningRate, warmupEpochs, distill, Precision.FP32);
    }

    /** A training without distillation. */
    public TrainingCommand(SearchSpace space, List<Architecture> preferred, Path dataDir, int epochs, int batchSize,
        JobOptions.Sampler sampler, long seed, Path initialWeights, Path resumeFrom, Path workDir,
        Double learningRate, Double warmupEpochs, Precision precision) {
      this(space, preferred, dataDir, epochs, batchSize, sampler, seed, initialWeights, resumeFrom, workDir,
          learningRate, warmupEpochs, false, precision);
    }
  }

  /**
   * How a training run ended.
   *
   * @param checkpoint the last checkpoint written (weights, optimiser state and position)
   * @param supernetWeights the trained weights alone (reference layout), {@code null} when cancelled
   * @param resumedFromStep the step the run resumed at (0 for a fresh start)
   */
  record TrainingOutcome(Path checkpoint, Path supernetWeights, long globalStep, long totalSteps, long skippedSteps,
      long resumedFromStep, boolean cancelled, Map<String, Object> metrics) {
    public TrainingOutcome {
      metrics = Map.copyOf(metrics);
    }
  }

  /**
   * What to evaluate.
   *
   * @param supernetWeights trained supernet weights or a training checkpoint
   * @param seed the training seed (it picks the hold-out split when the data has no validation set)
   * @param wholeWhenUnsplit evaluate every image of data without a validation part (a supernet trained elsewhere
   *     never saw them) instead of the share a training here holds out
   */
  record EvaluationCommand(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dataDir,
      int batchSize, long seed, boolean wholeWhenUnsplit, Precision precision) {
    public EvaluationCommand {
      architectures = List.copyOf(architectures);
      precision = precision == null ? Precision.FP32 : precision;
    }

    /** A float32 evaluation. */
    public EvaluationCommand(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dataDir,
        int batchSize, long seed, boolean wholeWhenUnsplit) {
      this(space, supernetWeights, architectures, dataDir, batchSize, seed, wholeWhenUnsplit, Precision.FP32);
    }
  }

  /** Validation result of one subnet (accuracies in percent). */
  record Accuracy(Architecture architecture, long params, double flops, double top1, double top5, double loss,
      long images) {}

  /** One exported standalone subnet: its weights and config files and its exact parameter count. */
  record Exported(Architecture architecture, Path weights, Path config, long parameterCount, int tensorCount) {}
}
