package io.prenas.training;

import io.prenas.data.Batch;
import io.prenas.data.BatchLoader;
import io.prenas.data.DataSplit;
import io.prenas.data.ImageSource;
import io.prenas.data.TransformSpec;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.SupernetFile;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Preferred one-shot training (paper section 3.1, spec 5): one architecture per step, drawn by the sampler from
 * the preferred set (or the whole space for the redundant baseline), on the shared supernet weights.
 *
 * <p>Checkpoints are written every {@code checkpointEverySteps} steps, at the end, and when {@code cancelled}
 * turns true (checked before every step, so a cancel stops within one step); each one is handed to the
 * {@link CheckpointListener} once complete. Resuming from a checkpoint continues exactly: N steps straight equal
 * N/2 + resume + N/2. A run that ends also writes the trained weights alone ({@value #SUPERNET}).
 *
 * <p>With {@link TrainingConfig#distillation()} on, every step is a BigNAS in-place distillation step
 * ({@link Distillation}): the largest preferred architecture learns from the targets and the sampled one from its
 * soft labels, in one update. The setting is part of the checkpoint; a resume with another setting is refused.
 */
public final class PreferredTrainer {

  /** The checkpoint file name inside the output folder. */
  public static final String CHECKPOINT = "checkpoint.safetensors";

  /** The trained supernet weights (reference layout, no optimiser state) inside the output folder. */
  public static final String SUPERNET = "supernet.safetensors";

  /**
   * What a run ended with.
   *
   * @param supernet the trained weights file, {@code null} when the run was cancelled
   */
  public record Result(Path checkpoint, Path supernet, long globalStep, long totalSteps, SkippedSteps skipped,
      boolean cancelled, List<String> corruptImages, double lastLoss) {

    public long skippedSteps() {
      return skipped.total();
    }
  }

  private final SearchSpace space;
  private final List<Architecture> preferred;
  private final TrainingConfig config;

  public PreferredTrainer(SearchSpace space, List<Architecture> preferred, TrainingConfig config) {
    preferred.forEach(space::validate);
    this.space = space;
    this.preferred = List.copyOf(preferred);
    this.config = config;
  }

  ArchSampler sampler() {
    return switch (config.sampler()) {
      case "balanced" -> PreferredSamplers.balanced(space, preferred);
      case "uniform" -> PreferredSamplers.uniform(preferred);
      default -> new RedundantSampler(space);
    };
  }

  /** Steps per epoch: full batches only, so every step sees the same batch size. */
  public static int stepsPerEpoch(int images, int batchSize) {
    return images / batchSize;
  }

  /** Image transform for training input of a model (resize to its size, grey/RGB to its channels). */
  public static TransformSpec trainTransform(SearchSpace space, boolean flip) {
    TransformSpec base = TransformSpec.of(space.inChannels(), space.imageSize(), true);
    return new TransformSpec(base.channels(), base.size(), true, base.padding(), flip, base.mean(), base.std());
  }

  /** {@link #train(DataSplit, Path, Map, Checkpoint, ProgressListener, CheckpointListener, BooleanSupplier)}. */
  public Result train(DataSplit data, Path outDir, Map<String, Tensor> initialWeights, Checkpoint resume,
      ProgressListener listener, BooleanSupplier cancelled) throws IOException {
    return train(data, outDir, initialWeights, resume, listener, CheckpointListener.NONE, cancelled);
  }

  /**
   * Trains on {@code data.train()}, writing {@code outDir/}{@value #CHECKPOINT} (each one reported to
   * {@code checkpoints}) and, when the run ends, {@code outDir/}{@value #SUPERNET}.
   *
   * @param initialWeights reference-named supernet weights to start from (fine-tuning), or null for a fresh init
   * @param resume a checkpoint to continue from, or null
   */
  public Result train(DataSplit data, Path outDir, Map<String, Tensor> initialWeights, Checkpoint resume,
      ProgressListener listener, CheckpointListener checkpoints, BooleanSupplier cancelled) throws IOException {
    ImageSource train = data.train();
    int perEpoch = stepsPerEpoch(train.size(), config.batchSize());
    if (perEpoch == 0) {
      throw new IllegalArgumentException("batch size " + config.batchSize() + " is larger than the " + train.size()
          + " training images");
    }
    if (train.numClasses() > space.numClasses()) {
      throw new IllegalArgumentException("the data has " + train.numClasses() + " classes but the space's model has "
          + space.numClasses() + " (MODEL.NUM_CLASSES)");
    }
    long totalSteps = (long) perEpoch * config.epochs();
    Files.createDirectories(outDir);
    Path checkpointFile = outDir.resolve(CHECKPOINT);
    Path supernetFile = outDir.resolve(SUPERNET);
    Checkpoint.State start = resume == null
        ? new Checkpoint.State(space.name(), 0, 0, 0, 0, 0, config.seed(), config.sampler(), config.batchSize(),
            config.epochs(), Map.of(), config.distillation(), config.precision().id())
        : checkCompatible(resume.state());
    if (resume != null) {
      listener.onMessage("resuming at epoch " + start.epoch() + ", batch " + start.nextBatch() + " (step "
          + start.globalStep() + " of " + totalSteps + ")");
    }
    TrainingSession.Settings settings = new TrainingSession.Settings(config.weightDecay(), config.dropPathRate(),
        config.gradClipNorm(), config.device(), config.precision());
    ArchSampler sampler = sampler();
    LearningRateSchedule schedule = config.schedule();
    TransformSpec transform = trainTransform(space, config.flip());
    Distillation distillation = config.distillation();
    Architecture teacher = distillation.enabled() ? Distillation.teacher(space, preferred) : null;
    if (teacher != null) {
      listener.onMessage("in-place distillation " + distillation.describe() + ": teacher " + teacher.id()
          + " (the largest preferred architecture by FLOPs)");
    }
    double lastDistillationLoss = Double.NaN;
    long step = start.globalStep();
    SkippedSteps skipped = new SkippedSteps(start.skippedSteps(), start.skippedByArchitecture());
    double lastLoss = Double.NaN;
    List<String> corrupt = new java.util.ArrayList<>();
    try (TrainingSession session = TrainingSession.open(space,
        resume != null ? resume.weights() : initialWeights,
        resume != null ? resume.optimizerState() : null,
        start.optimizerSteps(), config.seed(), settings)) {
      RateMeter meter = new RateMeter();
      for (int epoch = start.epoch(); epoch < config.epochs(); epoch++) {
        int firstBatch = epoch == start.epoch() ? start.nextBatch() : 0;
        int[] order = java.util.Arrays.copyOf(BatchLoader.shuffled(train.size(), config.seed(), epoch),
            perEpoch * config.batchSize());
        try (BatchLoader loader = new BatchLoader(train, order, config.batchSize(), transform,
            config.seed() * 31 + epoch, config.loaderThreads(), firstBatch)) {
          for (int b = firstBatch; b < perEpoch && loader.hasNext(); b++) {
            if (cancelled.getAsBoolean()) {
              save(session, session.weights(), checkpointFile, epoch, b, step, skipped, checkpoints);
              listener.onMessage("cancelled at step " + step + "; checkpoint written");
              corrupt.addAll(loader.corrupt());
              return new Result(checkpointFile, null, step, totalSteps, skipped, true, corrupt, lastLoss);
            }
            Batch batch = loader.next();
            if (batch.count() == 0) {
              continue;
            }
            Architecture arch = sampler.sample(config.seed(), epoch, b);
            double lr = schedule.at(epoch, b, perEpoch);
            float[] targets = config.mixup().apply(batch, space.numClasses(),
                ArchSampler.rngFor(config.seed() + 1, epoch, b));
            long stepSeed = config.seed() * 1_000_003L + step;
            TrainingSession.StepResult r = teacher == null
                ? session.step(arch, batch.x(), batch.shape(), targets, lr, stepSeed)
                : session.distillationStep(teacher, arch, batch.x(), batch.shape(), targets, lr, stepSeed,
                    distillation.temperature());
            step++;
            if (r.skipped()) {
              skipped = skipped.plus(arch.id());
              listener.onMessage("step " + step + " skipped: " + r.skipReason() + " (" + arch.id() + ")");
            } else {
              lastLoss = r.loss();
              lastDistillationLoss = Double.isNaN(r.distillationLoss()) ? lastDistillationLoss : r.distillationLoss();
            }
            meter.add(batch.count());
            long remaining = totalSteps - step;
            listener.onProgress(new TrainingProgress("training", epoch, step, totalSteps, meter.rate(),
                meter.rate() > 0 ? remaining * config.batchSize() / meter.rate() : Double.NaN, lastLoss, lr, skipped,
                arch.id(), lastDistillationLoss));
            if (step % config.checkpointEverySteps() == 0) {
              save(session, session.weights(), checkpointFile, epoch, b + 1, step, skipped, checkpoints);
              listener.onMessage("checkpoint at step " + step);
            }
          }
          if (!loader.corrupt().isEmpty()) {
            listener.onMessage(loader.corrupt().size() + " unreadable images skipped in epoch " + epoch + ", first: "
                + loader.corrupt().get(0));
            corrupt.addAll(loader.corrupt());
          }
        }
      }
      Map<String, Tensor> trained = session.weights();
      save(session, trained, checkpointFile, config.epochs(), 0, step, skipped, checkpoints);
      SupernetFile.write(supernetFile, space, trained);
    }
    return new Result(checkpointFile, supernetFile, step, totalSteps, skipped, false, List.copyOf(corrupt), lastLoss);
  }

  private Checkpoint.State checkCompatible(Checkpoint.State s) {
    if (s.batchSize() != config.batchSize() || s.seed() != config.seed() || !s.sampler().equals(config.sampler())) {
      throw new IllegalArgumentException("checkpoint was made with batch " + s.batchSize() + ", seed " + s.seed()
          + ", sampler " + s.sampler() + "; resume needs the same settings");
    }
    if (!s.space().equals(space.name())) {
      throw new IllegalArgumentException("checkpoint belongs to space " + s.space() + ", not " + space.name());
    }
    // Distillation changes every step's update: a run resumed with another setting would be neither of the two.
    if (!s.distillationOrOff().equals(config.distillation())) {
      throw new IllegalArgumentException("checkpoint was made with distillation " + s.distillationOrOff().describe()
          + ", this run has distillation " + config.distillation().describe() + "; resume needs the same settings");
    }
    if (!s.precision().equals(config.precision().id())) { // the rest of the run would round differently
      throw new IllegalArgumentException("checkpoint was made with precision " + s.precision() + "; resume needs"
          + " the same precision, not " + config.precision().id());
    }
    return s;
  }

  private void save(TrainingSession session, Map<String, Tensor> weights, Path file, int epoch, int nextBatch,
      long step, SkippedSteps skipped, CheckpointListener checkpoints) throws IOException {
    Checkpoint.State state = new Checkpoint.State(space.name(), epoch, nextBatch, step, session.optimizerSteps(),
        skipped.total(), config.seed(), config.sampler(), config.batchSize(), config.epochs(),
        skipped.byArchitecture(), config.distillation(), config.precision().id());
    String sha256 = new Checkpoint(weights, session.optimizerState(), state).write(file);
    checkpoints.written(new CheckpointListener.CheckpointWritten(file, step, sha256));
  }

  /** Images per second over a sliding window of recent steps. */
  static final class RateMeter {
    private final java.util.ArrayDeque<long[]> window = new java.util.ArrayDeque<>();

    void add(int images) {
      window.addLast(new long[] {System.nanoTime(), images});
      while (window.size() > 50) {
        window.removeFirst();
      }
    }

    double rate() {
      if (window.size() < 2) {
        return 0;
      }
      long images = window.stream().skip(1).mapToLong(e -> e[1]).sum();
      double seconds = (window.getLast()[0] - window.getFirst()[0]) / 1e9;
      return seconds > 0 ? images / seconds : 0;
    }
  }
}
