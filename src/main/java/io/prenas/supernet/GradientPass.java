package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The zero-cost selector's gradient signal (spec 4.1): ONE forward and backward pass of the space's largest
 * architecture in training mode (drop-path active), returning every supernet tensor and its gradient.
 *
 * <pre>{@code
 * GradientPass.Result r = GradientPass.of(space)
 *     .gaussianImages(64, 0)          // data-free input, as the reference
 *     .run();                          // seeded reference-style init, loss = sum(logits), drop-path 0.1
 * }</pre>
 *
 * Defaults follow the reference search: seeded random init (seed 0), sum of logits as the loss, drop-path 0.1.
 * Gradients are float32 in reference key order; columns outside the max architecture's slice get zeros (the
 * reference's max width can be below the supernet's, e.g. 240 of 256 on Tiny).
 */
public final class GradientPass {

  /** ImageNet channel statistics used for the data-free images (raw-pixel values, as the reference uses them). */
  static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
  static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

  /** What is differentiated. */
  public enum Objective {
    /** {@code sum(model(x))}: the reference's data-free signal; needs no labels. */
    SUM_OF_LOGITS,
    /** Cross-entropy against the given labels, with the configured label smoothing. */
    CROSS_ENTROPY,
    /**
     * Cross-entropy summed over the images, no smoothing (a CNN space's score, cnn-space §8); data-free images get
     * uniformly drawn labels.
     */
    SUMMED_CROSS_ENTROPY;

    /** The objective of a family's reference loss. */
    public static Objective of(io.prenas.space.GradientPlan.Loss loss) {
      return switch (loss) {
        case SUM_OF_LOGITS -> SUM_OF_LOGITS;
        case SUMMED_CROSS_ENTROPY -> SUMMED_CROSS_ENTROPY;
      };
    }
  }

  /** Phase times of the pass, in nanoseconds. */
  public record Timing(long setupNanos, long forwardNanos, long backwardNanos, long readOutNanos) {
    public long totalNanos() {
      return setupNanos + forwardNanos + backwardNanos + readOutNanos;
    }
  }

  /** Weights used (reference order) and their gradients (same keys), the loss value and timing. */
  public record Result(Architecture architecture, Map<String, Tensor> weights, Map<String, Tensor> gradients,
      double loss, Timing timing) {}

  private final SearchSpace space;
  private Map<String, Tensor> initialWeights;
  private Path initialWeightsFile;
  private long seed;
  private Tensor images;
  private Tensor labels;
  private int gaussianBatch = 64;
  private long gaussianSeed;
  private Objective objective = Objective.SUM_OF_LOGITS;
  private double labelSmoothing;
  private double dropPathRate = 0.1;
  private int microBatch;
  private String device;
  private Architecture architecture;
  private Precision precision = Precision.FP32;
  private boolean pin = true;

  private GradientPass(SearchSpace space) {
    this.space = Objects.requireNonNull(space, "space");
  }

  /** A pass on the max architecture of {@code space}; configure it, then {@link #run()}. */
  public static GradientPass of(SearchSpace space) {
    return new GradientPass(space);
  }

  /** Start from these reference-named weights instead of a seeded init. */
  public GradientPass initialWeights(Map<String, Tensor> weights) {
    this.initialWeights = weights;
    this.initialWeightsFile = null;
    return this;
  }

  /** Start from a safetensors file in the reference layout instead of a seeded init. */
  public GradientPass initialWeights(Path file) {
    this.initialWeightsFile = file;
    this.initialWeights = null;
    return this;
  }

  /** Seed of the reference-style init (when no weights are given) and of the drop-path draws. Default 0. */
  public GradientPass seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Data-free input (the default, batch 64, seed 0): {@code batch} images whose channel c is i.i.d.
   * N(mean_c, std_c) with the ImageNet statistics, shape (batch, in_chans, image, image).
   */
  public GradientPass gaussianImages(int batch, long seed) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be positive, got " + batch);
    }
    this.gaussianBatch = batch;
    this.gaussianSeed = seed;
    this.images = null;
    this.labels = null;
    return this;
  }

  /** A given batch (B, in_chans, image, image); {@code labels} (B,) integer classes, or null. */
  public GradientPass batch(Tensor images, Tensor labels) {
    this.images = Objects.requireNonNull(images, "images");
    this.labels = labels;
    return this;
  }

  /** Loss to differentiate; cross-entropy needs labels from {@link #batch}. */
  public GradientPass objective(Objective objective, double labelSmoothing) {
    this.objective = Objects.requireNonNull(objective, "objective");
    this.labelSmoothing = labelSmoothing;
    return this;
  }

  /** Drop-path rate of the last supernet layer (linearly from 0 over the super depth). Default 0.1. */
  public GradientPass dropPathRate(double rate) {
    this.dropPathRate = rate;
    return this;
  }

  /**
   * Runs the batch in chunks of {@code size} images and lets autograd add up their gradients, to bound memory
   * (activations scale with the chunk, not the batch). Exact for the sum of logits (additive over images); a mean
   * cross-entropy is weighted by each chunk's share. Drop-path draws differ from a single pass (same
   * distribution). 0 = one pass. A network with BatchNorm ({@link Supernet#hasBatchStatistics()}) always runs the
   * batch in one pass: its batch statistics are part of what the gradients are taken of.
   */
  public GradientPass microBatch(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("micro-batch must be 0 (off) or positive, got " + size);
    }
    this.microBatch = size;
    return this;
  }

  /**
   * The architecture to differentiate (default: the space's max architecture). Images of another size are resized
   * to its input size when the space has several ({@link SearchSpace#inputSizes()}); a fixed-size space refuses them.
   */
  public GradientPass architecture(Architecture arch) {
    this.architecture = Objects.requireNonNull(arch, "architecture");
    return this;
  }

  /** Number format of the matrix products (default {@link Precision#FP32}, the reference's). */
  public GradientPass precision(Precision precision) {
    this.precision = Objects.requireNonNull(precision, "precision");
    return this;
  }

  /**
   * Whether micro-batches run on the architecture's weights pinned as leaves of their own ({@link Supernet#pin}, the
   * default) or each on slices of the supernet tensors; the gradients are the same.
   */
  public GradientPass pinArchitecture(boolean pin) {
    this.pin = pin;
    return this;
  }

  /** Device name ({@code "cpu"}, {@code "gpu0"}); default the engine's default device. */
  public GradientPass device(String device) {
    this.device = device;
    return this;
  }

  /** Builds the supernet, runs the pass and releases all native memory before returning. */
  public Result run() throws IOException {
    long t0 = System.nanoTime();
    Map<String, Tensor> weights = initialWeights;
    if (initialWeightsFile != null) {
      weights = Safetensors.read(initialWeightsFile).tensors();
    }
    SupernetFactory family = ModelFamilies.port(space, SupernetFactory.class);
    try (Supernet net = weights == null ? family.initialize(space, seed, device)
        : family.fromTensors(space, weights, device)) {
      return runOn(net, System.nanoTime() - t0);
    }
  }

  private Result runOn(Supernet net, long setupNanos) {
    if (objective != Objective.SUM_OF_LOGITS && images != null && labels == null) {
      throw new IllegalArgumentException("cross-entropy needs labels; give a batch with labels");
    }
    if (objective == Objective.CROSS_ENTROPY && images == null) {
      throw new IllegalArgumentException("cross-entropy needs labels; give a batch with labels");
    }
    Architecture arch = architecture != null ? architecture : space.maxArchitecture();
    int side = space.inputSize(arch);
    Tensor x = images;
    Tensor y = labels;
    if (x == null) {
      Random random = new SingleThreadRandom(gaussianSeed);
      x = space.gradientPlan().dataFree() == io.prenas.space.GradientPlan.DataFreeImages.STANDARD_NORMAL
          ? standardNormalImages(space.inChannels(), side, gaussianBatch, random)
          : gaussianImages(space, gaussianBatch, gaussianSeed);
      if (objective == Objective.SUMMED_CROSS_ENTROPY) {
        y = uniformLabels(space.numClasses(), gaussianBatch, random);
      }
    }
    boolean resize = space.inputSizes().size() > 1;
    Supernet.checkImages(space.inChannels(), resize ? (int) x.shape()[2] : side, x);
    if (resize && x.shape()[2] != x.shape()[3]) {
      throw new IllegalArgumentException("images must be square, got " + java.util.Arrays.toString(x.shape()));
    }
    Tensor targets = y;
    ParameterSet params = net.parameters();
    // dropout off: the zero-cost signal is the network without classifier dropout (CNN spec §8; a ViT has none)
    ForwardMode mode = ForwardMode.training(dropPathRate, seed).withoutDropout().withPrecision(precision);
    try (NDManager step = params.manager().newSubManager()) {
      long s0 = System.nanoTime();
      NDArray input = ImageResize.toSide(NdConvert.toNd(step, x), side);
      NDArray target = targets == null ? null : NdConvert.labelsToNd(step, targets);
      long prepared = System.nanoTime() - s0;
      long total = input.getShape().get(0);
      // A network with BatchNorm normalises each pass with that pass's batch statistics (spec cnn-space §8: the
      // batch's), so splitting the batch would change the gradients themselves: it runs in one pass.
      long chunk = microBatch <= 0 || net.hasBatchStatistics() ? total : Math.min(microBatch, total);
      // several micro-batches of one architecture run on its weights pinned as leaves of their own: no slicing and
      // no supernet-sized slice gradients per micro-batch (PinnedArchitecture), the same gradients
      PinnedArchitecture pinned = pin && chunk < total ? net.pin(arch, step).orElse(null) : null;
      Collection<NDArray> recorded = pinned == null ? params.arrays().values() : pinned.leaves();
      long forwardNanos = 0;
      long backwardNanos = 0;
      double lossSum = 0;
      for (long start = 0; start < total; start += chunk) {
        long end = Math.min(total, start + chunk);
        float share = (float) (end - start) / total;
        long count = end - start;
        try (NDManager part = step.newSubManager()) {
          NDArray xs = chunk == total ? input : input.get(part, new ai.djl.ndarray.index.NDIndex("{}:{}", start, end));
          NDArray ys = target == null ? null
              : chunk == total ? target : target.get(part, new ai.djl.ndarray.index.NDIndex("{}:{}", start, end));
          Autograd.Pass pass = Autograd.backward(recorded, () -> {
            NDArray logits = pinned == null ? net.forward(arch, xs, mode) : pinned.forward(xs, mode);
            return switch (objective) {
              case SUM_OF_LOGITS -> Losses.sumOfLogits(logits);
              case CROSS_ENTROPY -> Scalars.mul(Losses.crossEntropy(logits, ys, labelSmoothing), share);
              // the mean over the chunk times its size: the chunk's sum
              case SUMMED_CROSS_ENTROPY -> Scalars.mul(Losses.crossEntropy(logits, ys, 0), count);
            };
          }, start == 0);
          forwardNanos += pass.forwardNanos();
          backwardNanos += pass.backwardNanos();
          lossSum += pass.loss().getFloat();
        }
      }
      if (pinned != null) {
        long b0 = System.nanoTime();
        pinned.gradientsToSupernet();
        backwardNanos += System.nanoTime() - b0;
      }
      long r0 = System.nanoTime();
      Map<String, Tensor> values = new LinkedHashMap<>();
      Map<String, Tensor> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
        values.put(e.getKey(), NdConvert.toTensor(e.getValue()));
        grads.put(e.getKey(), NdConvert.toTensor(Autograd.gradient(e.getValue(), step)));
      }
      Timing timing = new Timing(setupNanos + prepared, forwardNanos, backwardNanos, System.nanoTime() - r0);
      return new Result(arch, values, grads, lossSum, timing);
    }
  }

  /** Every value i.i.d. N(0, 1): data-free images already on the normalised scale (cnn-space §8). */
  static Tensor standardNormalImages(int channels, int size, int batch, Random random) {
    float[] values = new float[Math.toIntExact((long) batch * channels * size * size)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {batch, channels, size, size}, values);
  }

  /** Labels drawn uniformly from the classes. */
  static Tensor uniformLabels(int classes, int batch, Random random) {
    long[] y = new long[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = random.nextInt(classes);
    }
    return Tensor.ofLongs(new long[] {batch}, y);
  }

  /** The reference's data-free batch: channel c i.i.d. N(mean_c, std_c), drawn from a seeded generator. */
  static Tensor gaussianImages(SearchSpace space, int batch, long seed) {
    int channels = space.inChannels();
    int size = space.imageSize();
    int pixels = size * size;
    float[] values = new float[Math.toIntExact((long) batch * channels * pixels)];
    Random random = new SingleThreadRandom(seed);
    int at = 0;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < channels; c++) {
        double mean = IMAGENET_MEAN[c % IMAGENET_MEAN.length];
        double std = IMAGENET_STD[c % IMAGENET_STD.length];
        for (int p = 0; p < pixels; p++) {
          values[at++] = (float) (random.nextGaussian() * std + mean);
        }
      }
    }
    return Tensor.ofFloats(new long[] {batch, channels, size, size}, values);
  }
}
