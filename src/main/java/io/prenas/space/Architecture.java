package io.prenas.space;

/**
 * One sub-network of a search space, of any model family. The pipeline (selector driver, training loop, jobs,
 * catalog, API) handles architectures only through this interface and the {@link SearchSpace} they belong to; what an
 * architecture is made of (widths, depths, kernels) is the family's business.
 *
 * <p>Implementations are immutable values: two architectures are equal exactly when their ids are equal.
 */
public interface Architecture {

  /** Canonical, URL-safe identifier, e.g. {@code e192_d12_h4-4-3_m4-3.5-4} for a ViT. */
  String id();
}
