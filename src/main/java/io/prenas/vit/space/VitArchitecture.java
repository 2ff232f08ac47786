package io.prenas.vit.space;

import io.prenas.space.Architecture;
import io.prenas.space.SpaceException;
import java.util.List;
import java.util.StringJoiner;

/**
 * One sub-network of a search space: a uniform embedding width, a depth, and per-layer head counts and MLP
 * ratios. Immutable; lists are copied. The hidden width of layer i is {@code int(E * r_i)} (double product, then
 * truncation, exactly as the reference's Python {@code int(E*r)}); the attention width is {@code 64 * h_i}.
 */
public record VitArchitecture(int embedDim, int depth, List<Double> mlpRatios, List<Integer> numHeads)
    implements Architecture {

  public VitArchitecture {
    if (embedDim <= 0) throw new SpaceException("embed_dim", "must be positive, got " + embedDim);
    if (depth <= 0) throw new SpaceException("layer_num", "must be positive, got " + depth);
    if (mlpRatios == null || mlpRatios.size() != depth) {
      throw new SpaceException("mlp_ratio", "needs one value per layer (" + depth + "), got "
          + (mlpRatios == null ? "none" : mlpRatios.size()));
    }
    if (numHeads == null || numHeads.size() != depth) {
      throw new SpaceException("num_heads", "needs one value per layer (" + depth + "), got "
          + (numHeads == null ? "none" : numHeads.size()));
    }
    mlpRatios = List.copyOf(mlpRatios);
    numHeads = List.copyOf(numHeads);
    for (int i = 0; i < depth; i++) {
      double r = mlpRatios.get(i);
      if (!(r > 0) || Double.isInfinite(r)) {
        throw new SpaceException("mlp_ratio", "layer " + i + " has invalid ratio " + r);
      }
      if (numHeads.get(i) <= 0) {
        throw new SpaceException("num_heads", "layer " + i + " has invalid head count " + numHeads.get(i));
      }
    }
  }

  /**
   * The ViT architecture behind the family-neutral interface.
   *
   * @throws SpaceException when it is an architecture of another family
   */
  public static VitArchitecture of(Architecture arch) {
    if (arch instanceof VitArchitecture vit) {
      return vit;
    }
    throw new SpaceException("architecture", arch.id() + " is not a ViT architecture");
  }

  /** An architecture with the same head count and MLP ratio in every layer. */
  public static VitArchitecture uniform(int embedDim, int depth, double mlpRatio, int numHeads) {
    return new VitArchitecture(embedDim, depth,
        java.util.Collections.nCopies(depth, mlpRatio), java.util.Collections.nCopies(depth, numHeads));
  }

  public double mlpRatio(int layer) {
    return mlpRatios.get(layer);
  }

  public int heads(int layer) {
    return numHeads.get(layer);
  }

  /** Attention (q, k or v) width of a layer: {@code 64 * heads}. */
  public int qkDim(int layer) {
    return SupernetDims.HEAD_DIM * numHeads.get(layer);
  }

  /** MLP hidden width of a layer: {@code int(E * r)}. */
  public int ffnDim(int layer) {
    return (int) (embedDim * mlpRatios.get(layer));
  }

  /**
   * Canonical, URL-safe identifier, e.g. {@code e192_d12_h4-4-3_m4-3.5-4} (ratios without a trailing
   * {@code .0}). Two architectures are equal exactly when their ids are equal.
   */
  public String id() {
    StringJoiner heads = new StringJoiner("-");
    StringJoiner ratios = new StringJoiner("-");
    for (int i = 0; i < depth; i++) {
      heads.add(Integer.toString(numHeads.get(i)));
      ratios.add(formatRatio(mlpRatios.get(i)));
    }
    return "e" + embedDim + "_d" + depth + "_h" + heads + "_m" + ratios;
  }

  private static String formatRatio(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }

  @Override
  public String toString() {
    return id();
  }
}
