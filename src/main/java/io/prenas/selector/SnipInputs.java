package io.prenas.selector;

import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Supernet weights θ and the gradients g of the gradient pass, under the family's state_dict key names
 * ({@code blocks.3.attn.qkv.weight}, {@code stages.2.layers.1.depthwise.conv.weight}, ...). Every SNIP quantity is
 * built from products θ·g, so both maps must agree on each key's shape. Values are decoded to float arrays once, on
 * first use, and kept.
 *
 * <p>Two shapes of input: one set of gradients (a ViT: one pass at the space's image size), or one set per input
 * resolution ({@link #perResolution}; a CNN with elastic resolution takes one gradient pass per resolution, spec
 * cnn-space §8). {@link #atResolution} gives the single-set view of one resolution, sharing the decoded weights.
 */
public final class SnipInputs {

  private final Map<String, Tensor> weights;
  private final Map<String, Tensor> grads;
  private final Map<String, float[]> weightCache;
  private final Map<String, float[]> gradCache = new HashMap<>();
  /** Gradients per resolution, ascending; empty for a single set. */
  private final TreeMap<Integer, Map<String, Tensor>> gradsByResolution;

  public SnipInputs(Map<String, Tensor> weights, Map<String, Tensor> grads) {
    this(Map.copyOf(weights), Map.copyOf(grads), new HashMap<>(), new TreeMap<>());
  }

  private SnipInputs(Map<String, Tensor> weights, Map<String, Tensor> grads, Map<String, float[]> weightCache,
      TreeMap<Integer, Map<String, Tensor>> gradsByResolution) {
    this.weights = weights;
    this.grads = grads;
    this.weightCache = weightCache;
    this.gradsByResolution = gradsByResolution;
  }

  /**
   * Weights and one set of gradients per input resolution (resolution → gradients).
   *
   * @throws SelectorException when no resolution is given or a resolution is not positive
   */
  public static SnipInputs perResolution(Map<String, Tensor> weights, Map<Integer, Map<String, Tensor>> grads) {
    if (grads.isEmpty()) {
      throw new SelectorException("no gradients: give one set per resolution");
    }
    TreeMap<Integer, Map<String, Tensor>> byResolution = new TreeMap<>();
    for (Map.Entry<Integer, Map<String, Tensor>> e : grads.entrySet()) {
      if (e.getKey() == null || e.getKey() <= 0) {
        throw new SelectorException("gradient resolution must be a positive integer, got " + e.getKey());
      }
      byResolution.put(e.getKey(), Map.copyOf(e.getValue()));
    }
    return new SnipInputs(Map.copyOf(weights), null, new HashMap<>(), byResolution);
  }

  /** True when the gradients come one set per resolution ({@link #perResolution}). */
  public boolean isPerResolution() {
    return !gradsByResolution.isEmpty();
  }

  /** The resolutions that have gradients, ascending; empty for a single set. */
  public SortedSet<Integer> resolutions() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(gradsByResolution.keySet()));
  }

  /**
   * The single-set view of the gradients at one resolution, sharing this input's decoded weights.
   *
   * @throws SelectorException when there are no gradients for that resolution
   */
  public SnipInputs atResolution(int resolution) {
    Map<String, Tensor> g = gradsByResolution.get(resolution);
    if (g == null) {
      throw new SelectorException(isPerResolution()
          ? "no gradients for resolution " + resolution + " (gradients given for " + gradsByResolution.keySet() + ")"
          : "the gradients are not per resolution");
    }
    return new SnipInputs(weights, g, weightCache, new TreeMap<>());
  }

  /** The shape of a tensor present in both maps with equal shapes; otherwise a {@link SelectorException}. */
  public long[] shape(String key) {
    Tensor w = weights.get(key);
    Tensor g = singleGrads().get(key);
    if (w == null) {
      throw new SelectorException("weights have no tensor '" + key + "'");
    }
    if (g == null) {
      throw new SelectorException("gradients have no tensor '" + key + "'");
    }
    if (!Arrays.equals(w.shape(), g.shape())) {
      throw new SelectorException("tensor '" + key + "' has shape " + w.shapeString() + " in the weights but "
          + g.shapeString() + " in the gradients");
    }
    return w.shape();
  }

  /** Checks that a tensor exists in both maps with exactly the expected shape. */
  public void requireShape(String key, long... expected) {
    long[] actual = shape(key);
    if (!Arrays.equals(actual, expected)) {
      throw new SelectorException("tensor '" + key + "' has shape " + Arrays.toString(actual) + ", expected "
          + Arrays.toString(expected) + " for this search space");
    }
  }

  public boolean has(String key) {
    return weights.containsKey(key) && grads != null && grads.containsKey(key);
  }

  public float[] weight(String key) {
    shape(key);
    synchronized (weightCache) { // shared with the per-resolution views
      return weightCache.computeIfAbsent(key, k -> weights.get(k).toFloats());
    }
  }

  public synchronized float[] grad(String key) {
    shape(key);
    return gradCache.computeIfAbsent(key, k -> grads.get(k).toFloats());
  }

  public Map<String, Tensor> weights() {
    return weights;
  }

  /**
   * The single set of gradients.
   *
   * @throws SelectorException when the gradients are per resolution (take {@link #atResolution} first)
   */
  public Map<String, Tensor> grads() {
    return singleGrads();
  }

  private Map<String, Tensor> singleGrads() {
    if (grads == null) {
      throw new SelectorException("the gradients are given per resolution " + gradsByResolution.keySet()
          + "; this search space takes a single set");
    }
    return grads;
  }
}
