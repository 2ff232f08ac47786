package io.prenas.selector;

import io.prenas.space.GradientPlan;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.Precision;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where θ and g come from: stored files (weights + gradients), or one gradient pass over the space's max
 * architecture (spec 4.1) on a given batch or on data-free Gaussian images.
 *
 * <p>A large batch can be split into micro-batches whose gradients are added. For the sum-of-logits loss this is
 * exact up to float rounding (the loss is a sum over images); for cross-entropy, a mean over images, each
 * micro-batch's gradient is weighted by its share of the batch. Data-free micro-batches draw their own images
 * (seed + micro-batch index), so they are a different, equally distributed sample than one big draw.
 */
public final class GradientSource {

  private GradientSource() {}

  /**
   * How to run the gradient pass. {@code weightsFile} null = the reference's seeded init; {@code loss} null = the
   * space's reference loss ({@link GradientPlan#loss()}: the sum of logits for a ViT, the summed cross-entropy for a
   * space with one pass per input size, which takes no other). {@code precision} is the number format of the pass's
   * matrix products ({@link Precision#FP32}, the reference's, unless a caller asks for bfloat16).
   */
  public record PassSettings(Path weightsFile, Path batchFile, int batchSize, int microBatch, long seed,
      double dropPath, GradientPass.Objective loss, String device, Precision precision) {

    public PassSettings {
      if (batchSize < 1) throw new SelectorException("batch size must be at least 1, got " + batchSize);
      if (microBatch < 1) microBatch = batchSize;
      if (!(dropPath >= 0 && dropPath < 1)) throw new SelectorException("drop-path must be in [0, 1), got " + dropPath);
      if (precision == null) precision = Precision.FP32;
    }

    /** Settings of a float32 pass. */
    public PassSettings(Path weightsFile, Path batchFile, int batchSize, int microBatch, long seed, double dropPath,
        GradientPass.Objective loss, String device) {
      this(weightsFile, batchFile, batchSize, microBatch, seed, dropPath, loss, device, Precision.FP32);
    }
  }

  /** Weights and gradients from two safetensors files with the reference's key names. */
  public static SnipInputs fromFiles(Path weights, Path grads) throws IOException {
    return new SnipInputs(Safetensors.read(weights).tensors(), Safetensors.read(grads).tensors());
  }

  /**
   * Weights and one gradient file per input resolution (a CNN space: one gradient pass per resolution, spec
   * cnn-space §8). The weights are read once.
   */
  public static SnipInputs fromFiles(Path weights, Map<Integer, Path> gradsByResolution) throws IOException {
    Map<Integer, Map<String, Tensor>> grads = new LinkedHashMap<>();
    for (Map.Entry<Integer, Path> e : gradsByResolution.entrySet()) {
      grads.put(e.getKey(), Safetensors.read(e.getValue()).tensors());
    }
    return SnipInputs.perResolution(Safetensors.read(weights).tensors(), grads);
  }

  /**
   * Images per micro-batch of the gradient pass unless a caller says otherwise: bounds the activations. Tiny at batch
   * 64, 1 thread, on a quiet 2-core machine: micro-batches of 4 took 17.6 s and 1.19 GB peak RSS, of 8 20.9 s and
   * 1.60 GB, of 16 22.0 s and 2.39 GB (docs/bench/selector.md); small chunks also keep the attention scores in cache.
   * A network with BatchNorm runs its batch in one pass whatever this says ({@link GradientPass#microBatch}).
   */
  public static final int DEFAULT_MICRO_BATCH = 4;

  /** Phase names recorded by {@link #fromGradientPass}. */
  public static final String INIT = "init";
  public static final String GRADIENT_PASS = "gradient_pass";

  /**
   * Runs the gradient pass (possibly in micro-batches) and returns its weights and summed gradients. Records
   * {@value #INIT} (weights, supernet construction) and {@value #GRADIENT_PASS} (forward, backward, read-out and
   * the adding up of micro-batch gradients) in {@code times}.
   */
  public static SnipInputs fromGradientPass(SearchSpace space, PassSettings s, PhaseTimes times) throws IOException {
    Tensor images = null;
    Tensor labels = null;
    if (s.batchFile() != null) {
      Safetensors.Contents batch = Safetensors.read(s.batchFile());
      images = batch.tensors().get("x");
      if (images == null) throw new SelectorException("batch file " + s.batchFile() + " has no tensor 'x'");
      labels = batch.tensors().get("y");
    }
    return fromGradientPass(space, s, images, labels, times);
  }

  /**
   * Like {@link #fromGradientPass(SearchSpace, PassSettings, PhaseTimes)} on a batch already in memory
   * ({@code s.batchFile()} is not read): {@code images} NCHW, {@code labels} optional; no images at all means the
   * data-free pass on Gaussian images.
   */
  public static SnipInputs fromGradientPass(SearchSpace space, PassSettings s, Tensor images, Tensor labels,
      PhaseTimes times) throws IOException {
    Map<Integer, Batch> batches = new LinkedHashMap<>();
    if (images != null) {
      for (GradientPlan.Pass p : space.gradientPlan().passes()) {
        batches.put(p.inputSize(), new Batch(images, labels)); // resized to each pass's input size by the pass
      }
    }
    return fromGradientPass(space, s, batches, times);
  }

  /** Images (NCHW) and their labels (or {@code null}) for one gradient pass. */
  public record Batch(Tensor images, Tensor labels) {}

  /**
   * Runs the space's {@link GradientPlan}: one pass per planned input size (a ViT: one; a CNN: one per resolution,
   * spec cnn-space §8), each on its batch from {@code batches} (keyed by input size; a batch of another size is
   * resized to it) or, when {@code batches} is empty, on data-free images. A per-input-size plan gives
   * {@link SnipInputs#perResolution}.
   */
  public static SnipInputs fromGradientPass(SearchSpace space, PassSettings s, Map<Integer, Batch> batches,
      PhaseTimes times) throws IOException {
    GradientPlan plan = space.gradientPlan();
    if (s.precision() == Precision.BF16 && !space.supportsBf16()) {
      throw new SelectorException("a " + space.family() + " space's gradient pass runs in fp32 only; bf16 is for ViT "
          + "spaces");
    }
    GradientPass.Objective objective = objective(plan, s.loss());
    if (!batches.isEmpty()) {
      for (GradientPlan.Pass p : plan.passes()) {
        if (!batches.containsKey(p.inputSize())) {
          throw new SelectorException("no batch for input size " + p.inputSize() + " (batches given for "
              + batches.keySet() + "; the space takes " + space.inputSizes() + ")");
        }
      }
    }
    Map<String, Tensor> weights = s.weightsFile() == null ? null : Safetensors.read(s.weightsFile()).tensors();
    Map<String, Tensor> theta = null;
    Map<Integer, Map<String, Tensor>> grads = new LinkedHashMap<>();
    for (GradientPlan.Pass p : plan.passes()) {
      Batch b = batches.get(p.inputSize());
      GradientPass.Result r = pass(space, s, objective, weights, p, b, times);
      theta = r.weights();
      grads.put(p.inputSize(), r.gradients());
    }
    return plan.perInputSize() ? SnipInputs.perResolution(theta, grads)
        : new SnipInputs(theta, grads.values().iterator().next());
  }

  private static GradientPass.Objective objective(GradientPlan plan, GradientPass.Objective requested) {
    GradientPass.Objective reference = GradientPass.Objective.of(plan.loss());
    if (requested == null) return reference;
    if (plan.perInputSize() && requested != reference) {
      // the score compares gradients of passes at different sizes; only the defined loss makes them comparable
      throw new SelectorException("this space's score is defined with the loss " + plan.loss()
          + " (one gradient pass per input size); drop --loss");
    }
    return requested;
  }

  private static GradientPass.Result pass(SearchSpace space, PassSettings s, GradientPass.Objective objective,
      Map<String, Tensor> weights, GradientPlan.Pass p, Batch b, PhaseTimes times) throws IOException {
    if (objective == GradientPass.Objective.CROSS_ENTROPY && (b == null || b.labels() == null)) {
      throw new SelectorException("cross-entropy needs labels: give --batch with a tensor 'y'");
    }
    if (objective == GradientPass.Objective.SUMMED_CROSS_ENTROPY && b != null && b.labels() == null) {
      throw new SelectorException("this space's gradient pass uses cross-entropy: the batch needs labels (tensor 'y')");
    }
    GradientPass pass = GradientPass.of(space).seed(s.seed()).dropPathRate(s.dropPath()).objective(objective, 0.0)
        .microBatch(s.microBatch()).architecture(p.architecture()).precision(s.precision());
    if (s.device() != null) pass.device(s.device());
    if (weights != null) pass.initialWeights(weights);
    if (b != null) {
      pass.batch(b.images(), b.labels());
    } else {
      pass.gaussianImages(s.batchSize(), s.seed());
    }
    long t0 = System.nanoTime();
    GradientPass.Result r;
    try {
      r = pass.run(); // micro-batches share one supernet; autograd adds up their gradients
    } catch (IllegalArgumentException e) {
      throw new SelectorException("gradient pass: " + e.getMessage());
    }
    long setup = r.timing().setupNanos();
    times.record(INIT, setup);
    times.record(GRADIENT_PASS, System.nanoTime() - t0 - setup);
    return r;
  }
}
