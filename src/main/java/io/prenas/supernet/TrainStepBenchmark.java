package io.prenas.supernet;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times the training's own step ({@link TrainingSession#step}) on the max architecture: forward with label-smoothed
 * cross-entropy, backward, gradient norm and AdamW update (weight decay 0.05), and records resident memory after
 * every step, so that a native-memory leak shows as a rising RSS series.
 */
public final class TrainStepBenchmark {

  /**
   * Benchmark settings.
   *
   * @param threads intra-op threads (0 = leave the engine's setting)
   * @param imageSize input size (0 = the space's; the position embedding follows it)
   * @param warmupSteps untimed steps run first (allocator and kernel warm-up)
   * @param precision of the step's forward pass ({@link Precision})
   */
  public record Options(int batch, int steps, int warmupSteps, int threads, int imageSize, long seed,
      double learningRate, double weightDecay, double dropPathRate, String device, Precision precision) {

    public Options {
      if (batch < 1 || steps < 1 || warmupSteps < 0 || threads < 0 || imageSize < 0) {
        throw new IllegalArgumentException("batch and steps must be positive; warm-up, threads and image size"
            + " not negative");
      }
      java.util.Objects.requireNonNull(precision, "precision");
    }

    public Options withPrecision(Precision precision) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }

    /** Reference training settings (lr 1e-3, wd 0.05, drop-path 0.1), one warm-up step, seed 0. */
    public static Options of(int batch, int steps) {
      return new Options(batch, steps, 1, 0, 0, 0, 1e-3, 0.05, 0.1, null, Precision.FP32);
    }

    public Options withThreads(int threads) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }

    public Options withImageSize(int imageSize) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }

    public Options withWarmupSteps(int warmupSteps) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }

    public Options withSeed(long seed) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }

    public Options withDevice(String device) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device, precision);
    }
  }

  /** Per-phase statistics over the timed steps, in milliseconds. */
  public record PhaseStats(double meanMs, double medianMs, double minMs, double maxMs) {
    static PhaseStats of(long[] nanos) {
      double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
      int n = ms.length;
      double median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
      return new PhaseStats(Arrays.stream(ms).average().orElse(0), median, ms[0], ms[n - 1]);
    }
  }

  /** Figures of one run; RSS values in KiB ({@code rssAfterStepKib} covers warm-up and timed steps). */
  public record Result(String space, Architecture architecture, String device, Precision precision, int threads,
      int batch,
      int imageSize, int warmupSteps, int steps, long parameterCount, PhaseStats forward, PhaseStats backward,
      PhaseStats update, PhaseStats step, double imagesPerSecond, List<Double> losses, long peakRssKib,
      List<Long> rssAfterStepKib) {}

  private TrainStepBenchmark() {}

  public static Result run(SearchSpace space, Options options) {
    SearchSpace sized = options.imageSize() == 0 ? space : space.withImageSize(options.imageSize());
    if (options.threads() > 0) {
      EngineThreads.set(options.threads());
    }
    Architecture arch = sized.maxArchitecture();
    Tensor images = GradientPass.gaussianImages(sized, options.batch(), options.seed());
    float[] pixels = images.toFloats();
    float[] targets = smoothedTargets(options.batch(), sized.numClasses(), options.seed());
    int total = options.warmupSteps() + options.steps();
    long[] forward = new long[options.steps()];
    long[] backward = new long[options.steps()];
    long[] update = new long[options.steps()];
    long[] whole = new long[options.steps()];
    List<Double> losses = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    long parameterCount;
    TrainingSession.Settings settings = new TrainingSession.Settings(options.weightDecay(), options.dropPathRate(),
        0, options.device(), options.precision());
    // The training's own step (TrainingSession.step): forward, loss, backward, gradient norm, AdamW.
    try (TrainingSession session = TrainingSession.open(sized, null, null, 0, options.seed(), settings)) {
      parameterCount = session.parameterCount();
      for (int s = 0; s < total; s++) {
        long t0 = System.nanoTime();
        TrainingSession.StepResult r = session.step(arch, pixels, images.shape(), targets, options.learningRate(),
            options.seed() + s);
        long a0 = System.nanoTime();
        session.awaitUpdate(); // the update's kernels are asynchronous on a GPU
        long awaited = System.nanoTime() - a0;
        int timed = s - options.warmupSteps();
        if (timed >= 0) {
          forward[timed] = r.times().forwardNanos();
          backward[timed] = r.times().backwardNanos();
          update[timed] = r.times().updateNanos() + awaited;
          whole[timed] = System.nanoTime() - t0;
          losses.add(r.loss());
        }
        rss.add(ProcessMemory.residentKib());
      }
    }
    PhaseStats stepStats = PhaseStats.of(whole);
    double imagesPerSecond = options.batch() / (stepStats.meanMs() / 1000.0);
    return new Result(space.name(), arch, options.device() == null ? "default" : options.device(),
        options.precision(), EngineThreads.get(), options.batch(), sized.imageSize(), options.warmupSteps(), options.steps(),
        parameterCount, PhaseStats.of(forward), PhaseStats.of(backward), PhaseStats.of(update), stepStats,
        imagesPerSecond, losses, ProcessMemory.peakResidentKib(), rss);
  }

  /** Label-smoothed (0.1) one-hot targets of seeded random labels, as the trainer feeds the step. */
  private static float[] smoothedTargets(int batch, int classes, long seed) {
    Random random = new Random(seed ^ 0x5DEECE66DL);
    float[] targets = new float[batch * classes];
    for (int i = 0; i < batch; i++) {
      int label = random.nextInt(classes);
      for (int c = 0; c < classes; c++) {
        targets[i * classes + c] = (float) (0.1 / classes + (c == label ? 0.9 : 0));
      }
    }
    return targets;
  }
}
