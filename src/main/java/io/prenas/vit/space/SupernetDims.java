package io.prenas.vit.space;

import io.prenas.space.SpaceException;

/**
 * Tensor sizes of the weight-sharing supernet (the {@code SUPERNET} section): every architecture of the space is a
 * slice of tensors of these sizes. The head dimension is fixed at 64 as in the reference.
 */
public record SupernetDims(int embedDim, int depth, int numHeads, double mlpRatio) {

  /** Feature width of one attention head; hard-coded in the reference ({@code num_heads * 64}). */
  public static final int HEAD_DIM = 64;

  public SupernetDims {
    if (embedDim <= 0) throw new SpaceException("SUPERNET.EMBED_DIM", "must be positive, got " + embedDim);
    if (depth <= 0) throw new SpaceException("SUPERNET.DEPTH", "must be positive, got " + depth);
    if (numHeads <= 0) throw new SpaceException("SUPERNET.NUM_HEADS", "must be positive, got " + numHeads);
    if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio)) {
      throw new SpaceException("SUPERNET.MLP_RATIO", "must be a positive number, got " + mlpRatio);
    }
    if (numHeads * HEAD_DIM > embedDim) {
      // q = 64*h features are sliced from the E_s-wide projection, so they cannot exceed it.
      throw new SpaceException("SUPERNET.NUM_HEADS",
          numHeads + " heads need " + numHeads * HEAD_DIM + " features, above SUPERNET.EMBED_DIM " + embedDim);
    }
  }

  /** Hidden width of the supernet MLP, {@code int(E_s * mlp_ratio)}. */
  public int ffnDim() {
    return (int) (embedDim * mlpRatio);
  }

  /** Rows of the supernet qkv projection ({@code 3 * E_s}). */
  public int qkvRows() {
    return 3 * embedDim;
  }
}
