package io.prenas.job;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The port through which training, evaluation and pipeline jobs call the DJL engine (preferred one-shot training,
 * evaluation of the preferred subnets, export of standalone subnets). A DJL-backed implementation is wired in
 * {@code io.prenas.system}; while a build has none, those jobs fail with {@link #UNAVAILABLE}.
 */
public interface TrainingEngine {

  /** The failure reason of a training, evaluation or pipeline job in a build without a training engine. */
  String UNAVAILABLE = "training engine not available in this build";

  /** Trains the supernet on the preferred set, writing checkpoints through {@code checkpoints}. */
  TrainingOutcome train(TrainingCommand command, JobProgress progress) throws Exception;

  /** Validates each preferred subnet of a trained supernet. */
  List<Accuracy> evaluate(EvaluationCommand command, JobProgress progress) throws Exception;

  /** Writes the standalone safetensors file of one subnet to {@code target}. */
  void export(SearchSpace space, Path supernetWeights, Architecture architecture, Path target) throws Exception;

  /**
   * @param resumeFrom the job's last checkpoint, or {@code null} to start from {@code initialWeights} (or a fresh
   *     supernet when that is {@code null} too)
   * @param checkpointDir where the engine writes checkpoint files; it reports each through
   *     {@link JobProgress#checkpoint(String)} after the job stored it
   */
  record TrainingCommand(SearchSpace space, List<Architecture> preferred, Path dataDir, int epochs, int batchSize,
      String sampler, long seed, Path initialWeights, Path resumeFrom, Path checkpointDir) {}

  /** The trained supernet weights file and the final training figures. */
  record TrainingOutcome(Path supernetWeights, Map<String, Object> metrics) {}

  record EvaluationCommand(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dataDir,
      int batchSize) {}

  /** Validation result of one subnet. */
  record Accuracy(Architecture architecture, double top1, double top5, double loss) {}
}
