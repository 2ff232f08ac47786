package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.space.ModelSettings;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times supernet training steps of the max architecture (forward with label-smoothed cross-entropy, backward,
 * AdamW update with weight decay 0.05) and records resident memory after every step, so that a native-memory leak
 * shows as a rising RSS series. Each step runs in its own manager, like real training.
 */
public final class TrainStepBenchmark {

  /**
   * Benchmark settings.
   *
   * @param threads intra-op threads (0 = leave the engine's setting)
   * @param imageSize input size (0 = the space's; the position embedding follows it)
   * @param warmupSteps untimed steps run first (allocator and kernel warm-up)
   */
  public record Options(int batch, int steps, int warmupSteps, int threads, int imageSize, long seed,
      double learningRate, double weightDecay, double dropPathRate, String device) {

    public Options {
      if (batch < 1 || steps < 1 || warmupSteps < 0 || threads < 0 || imageSize < 0) {
        throw new IllegalArgumentException("batch and steps must be positive; warm-up, threads and image size"
            + " not negative");
      }
    }

    /** Reference training settings (lr 1e-3, wd 0.05, drop-path 0.1), one warm-up step, seed 0. */
    public static Options of(int batch, int steps) {
      return new Options(batch, steps, 1, 0, 0, 0, 1e-3, 0.05, 0.1, null);
    }

    public Options withThreads(int threads) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device);
    }

    public Options withImageSize(int imageSize) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device);
    }

    public Options withWarmupSteps(int warmupSteps) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device);
    }

    public Options withSeed(long seed) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device);
    }

    public Options withDevice(String device) {
      return new Options(batch, steps, warmupSteps, threads, imageSize, seed, learningRate, weightDecay,
          dropPathRate, device);
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
  public record Result(String space, Architecture architecture, String device, int threads, int batch,
      int imageSize, int warmupSteps, int steps, long parameterCount, PhaseStats forward, PhaseStats backward,
      PhaseStats update, PhaseStats step, double imagesPerSecond, List<Double> losses, long peakRssKib,
      List<Long> rssAfterStepKib) {}

  private TrainStepBenchmark() {}

  public static Result run(SearchSpace space, Options options) {
    SearchSpace sized = options.imageSize() == 0 ? space : withImageSize(space, options.imageSize());
    if (options.threads() > 0) {
      EngineThreads.set(options.threads());
    }
    Architecture arch = sized.maxArchitecture();
    ModelSettings model = sized.model();
    Tensor images = GradientPass.gaussianImages(model, options.batch(), options.seed());
    Tensor labels = randomLabels(options.batch(), model.numClasses(), options.seed());
    int total = options.warmupSteps() + options.steps();
    long[] forward = new long[options.steps()];
    long[] backward = new long[options.steps()];
    long[] update = new long[options.steps()];
    long[] whole = new long[options.steps()];
    List<Double> losses = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    long parameterCount;
    try (VitSupernet net = VitSupernet.initialize(sized, options.seed(), options.device());
        AdamW optimizer = new AdamW(net.parameters().manager(), options.weightDecay())) {
      ParameterSet params = net.parameters();
      parameterCount = params.arrays().values().stream().mapToLong(a -> a.getShape().size()).sum();
      for (int s = 0; s < total; s++) {
        ForwardMode mode = ForwardMode.training(options.dropPathRate(), sized.supernet().depth(),
            options.seed() + s);
        long t0 = System.nanoTime();
        try (NDManager step = params.manager().newSubManager()) {
          NDArray x = NdConvert.toNd(step, images);
          NDArray y = NdConvert.labelsToNd(step, labels);
          Autograd.Pass pass = Autograd.backward(params.arrays().values(),
              () -> Losses.crossEntropy(net.forward(arch, x, mode), y, 0.1));
          long u0 = System.nanoTime();
          optimizer.step(params.arrays(), options.learningRate(), step);
          // Reading one value waits for the update's kernels (asynchronous on a GPU); read through a step view.
          SubnetSlicer.whole(params.get(SupernetLayout.HEAD_BIAS), step).getFloat(0);
          long u1 = System.nanoTime();
          int timed = s - options.warmupSteps();
          if (timed >= 0) {
            forward[timed] = pass.forwardNanos();
            backward[timed] = pass.backwardNanos();
            update[timed] = u1 - u0;
            whole[timed] = u1 - t0;
            losses.add((double) pass.loss().getFloat());
          }
        }
        rss.add(ProcessMemory.residentKib());
      }
    }
    PhaseStats stepStats = PhaseStats.of(whole);
    double imagesPerSecond = options.batch() / (stepStats.meanMs() / 1000.0);
    return new Result(space.name(), arch, options.device() == null ? "default" : options.device(),
        EngineThreads.get(), options.batch(), model.imageSize(), options.warmupSteps(), options.steps(),
        parameterCount, PhaseStats.of(forward), PhaseStats.of(backward), PhaseStats.of(update), stepStats,
        imagesPerSecond, losses, ProcessMemory.peakResidentKib(), rss);
  }

  private static SearchSpace withImageSize(SearchSpace s, int imageSize) {
    ModelSettings m = s.model();
    ModelSettings resized = new ModelSettings(imageSize, m.patchSize(), m.inChans(), m.numClasses(),
        m.maxRelativePosition());
    return new SearchSpace(s.name(), s.supernet(), resized, s.embedDims(), s.depths(), s.mlpRatios(),
        s.numHeads(), s.layerwise());
  }

  private static Tensor randomLabels(int batch, int classes, long seed) {
    Random random = new Random(seed ^ 0x5DEECE66DL);
    long[] y = new long[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = random.nextInt(classes);
    }
    return Tensor.ofLongs(new long[] {batch}, y);
  }
}
