package io.prenas.selector;

import io.prenas.space.SearchSpace;
import io.prenas.supernet.GradientPass;
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

  /** How to run the gradient pass. {@code weightsFile} null = the reference's seeded init. */
  public record PassSettings(Path weightsFile, Path batchFile, int batchSize, int microBatch, long seed,
      double dropPath, GradientPass.Objective loss, String device) {

    public PassSettings {
      if (batchSize < 1) throw new SelectorException("batch size must be at least 1, got " + batchSize);
      if (microBatch < 1) microBatch = batchSize;
      if (!(dropPath >= 0 && dropPath < 1)) throw new SelectorException("drop-path must be in [0, 1), got " + dropPath);
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
   * Images per micro-batch of the gradient pass unless a caller says otherwise: bounds the activations (Tiny at
   * batch 64: 2.3 GB peak instead of 6.2 GB in one pass) at a small cost in time.
   */
  public static final int DEFAULT_MICRO_BATCH = 16;

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
    Map<String, Tensor> weights = s.weightsFile() == null ? null : Safetensors.read(s.weightsFile()).tensors();
    if (s.loss() == GradientPass.Objective.CROSS_ENTROPY && labels == null) {
      throw new SelectorException("cross-entropy needs labels: give --batch with a tensor 'y'");
    }
    GradientPass pass = GradientPass.of(space).seed(s.seed()).dropPathRate(s.dropPath()).objective(s.loss(), 0.0)
        .microBatch(s.microBatch());
    if (s.device() != null) pass.device(s.device());
    if (weights != null) pass.initialWeights(weights);
    if (images != null) {
      pass.batch(images, labels);
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
    return new SnipInputs(r.weights(), r.gradients());
  }
}
