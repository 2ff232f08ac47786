package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The reference's 2-D relative position embedding ({@code RelativePosition2D_super}, spec 2.3): for patch tokens a
 * and b on a {@code side x side} grid, row index {@code clamp(b/side - a/side, +-maxRel) + maxRel + 1} into a
 * vertical table and column index {@code clamp(b%side - a%side, +-maxRel) + maxRel + 1} into a horizontal table,
 * summed. The cls token (row and column 0 of the (N+1) x (N+1) matrices) uses table row 0 for every pair.
 */
final class RelativePosition2D {

  private final int tokens;
  private final long[] verticalIndex;
  private final long[] horizontalIndex;

  RelativePosition2D(int side, int maxRelative) {
    int patches = side * side;
    tokens = patches + 1;
    verticalIndex = new long[tokens * tokens];
    horizontalIndex = new long[tokens * tokens];
    for (int a = 0; a < patches; a++) {
      for (int b = 0; b < patches; b++) {
        int at = (a + 1) * tokens + (b + 1); // row 0 and column 0 stay 0 for the cls token
        verticalIndex[at] = clamp(b / side - a / side, maxRelative) + maxRelative + 1;
        horizontalIndex[at] = clamp(b % side - a % side, maxRelative) + maxRelative + 1;
      }
    }
  }

  private static int clamp(int d, int max) {
    return Math.max(-max, Math.min(max, d));
  }

  /** Number of tokens (patches + cls) the index matrices cover. */
  int tokens() {
    return tokens;
  }

  /** Vertical table row used for the token pair (row, col); for tests against spec G6. */
  long verticalIndex(int row, int col) {
    return verticalIndex[row * tokens + col];
  }

  /** Horizontal table row used for the token pair (row, col). */
  long horizontalIndex(int row, int col) {
    return horizontalIndex[row * tokens + col];
  }

  /**
   * {@code T_v[iv] + T_h[ih]}, shape (tokens, tokens, headDim), made in the step manager. Gathering by index keeps
   * autograd, so the tables receive (scatter-added) gradients.
   */
  NDArray embeddings(NDManager step, NDArray tableV, NDArray tableH) {
    Shape square = new Shape(tokens, tokens);
    NDArray iv = step.create(verticalIndex, square);
    NDArray ih = step.create(horizontalIndex, square);
    NDArray vertical = tableV.get(step, new NDIndex("{}", iv));
    NDArray horizontal = tableH.get(step, new NDIndex("{}", ih));
    // Each gather is (tokens, tokens, 64): release them once summed, see Release. Not the indices: they wrap Java
    // direct buffers (from_blob) that autograd's gather backward still reads; closed, the buffer can be collected
    // and backward reads freed memory (seen as "index 1396...736 is out of bounds" under GC pressure). They are
    // tokens^2 longs and go with the step manager.
    return Release.after(vertical.add(horizontal), vertical, horizontal);
  }
}
