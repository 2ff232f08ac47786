package io.prenas.selector;

import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Supernet weights θ and the gradients g of one backward pass, under the reference's state_dict key names
 * ({@code blocks.3.attn.qkv.weight}, ...). Every SNIP quantity is built from products θ·g, so both maps must agree on
 * each key's shape. Values are decoded to float arrays once, on first use, and kept.
 */
public final class SnipInputs {

  private final Map<String, Tensor> weights;
  private final Map<String, Tensor> grads;
  private final Map<String, float[]> weightCache = new HashMap<>();
  private final Map<String, float[]> gradCache = new HashMap<>();

  public SnipInputs(Map<String, Tensor> weights, Map<String, Tensor> grads) {
    this.weights = Map.copyOf(weights);
    this.grads = Map.copyOf(grads);
  }

  /** The shape of a tensor present in both maps with equal shapes; otherwise a {@link SelectorException}. */
  public long[] shape(String key) {
    Tensor w = weights.get(key);
    Tensor g = grads.get(key);
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
    return weights.containsKey(key) && grads.containsKey(key);
  }

  public synchronized float[] weight(String key) {
    shape(key);
    return weightCache.computeIfAbsent(key, k -> weights.get(k).toFloats());
  }

  public synchronized float[] grad(String key) {
    shape(key);
    return gradCache.computeIfAbsent(key, k -> grads.get(k).toFloats());
  }

  public Map<String, Tensor> weights() {
    return weights;
  }

  public Map<String, Tensor> grads() {
    return grads;
  }
}
