package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.prenas.supernet.HostArrays;
import io.prenas.supernet.Release;
import io.prenas.supernet.Views;

/**
 * The reference's 2-D relative position embedding ({@code RelativePosition2D_super}, spec 2.3): for patch tokens a
 * and b on a {@code side x side} grid, row index {@code clamp(b/side - a/side, +-maxRel) + maxRel + 1} into a
 * vertical table and column index {@code clamp(b%side - a%side, +-maxRel) + maxRel + 1} into a horizontal table,
 * summed. The cls token (row and column 0 of the (N+1) x (N+1) matrices) uses table row 0 for every pair.
 */
final class RelativePosition2D {

  private final int side;
  private final int tokens;
  /** Table row of the grid-line pair (a, b), a the query's row (or column), b the key's: side x side. */
  private final long[] lineIndex;

  RelativePosition2D(int side, int maxRelative) {
    this.side = side;
    tokens = side * side + 1;
    lineIndex = new long[side * side];
    for (int a = 0; a < side; a++) {
      for (int b = 0; b < side; b++) {
        lineIndex[a * side + b] = Math.max(-maxRelative, Math.min(maxRelative, b - a)) + maxRelative + 1;
      }
    }
  }

  /** Number of tokens (patches + cls) the index matrices cover. */
  int tokens() {
    return tokens;
  }

  /** Table rows of the grid-line pairs: entry {@code a * side + b} for query line a and key line b (a copy). */
  long[] lineIndex() {
    return lineIndex.clone();
  }

  int side() {
    return side;
  }

  /** Vertical table row used for the token pair (row, col); for tests against spec G6. */
  long verticalIndex(int row, int col) {
    // row 0 and column 0 are the cls token: table row 0
    return row == 0 || col == 0 ? 0 : lineIndex[(row - 1) / side * side + (col - 1) / side];
  }

  /** Horizontal table row used for the token pair (row, col). */
  long horizontalIndex(int row, int col) {
    return row == 0 || col == 0 ? 0 : lineIndex[(row - 1) % side * side + (col - 1) % side];
  }

  /**
   * The tables of one attention's keys or values in factored form (see {@link Tables}), made in the step manager.
   * Gathering by index keeps autograd, so the tables receive (scatter-added) gradients; the gather's backward keeps
   * its own reference to the index (libtorch memory, {@link HostArrays}), so ours is closed at once.
   */
  Tables tables(NDManager step, NDArray tableV, NDArray tableH) {
    NDArray byRow;
    NDArray byColumn;
    try (NDArray index = HostArrays.longs(step, lineIndex, new Shape(side, side))) {
      byRow = tableV.get(step, new NDIndex("{}", index));
      byColumn = tableH.get(step, new NDIndex("{}", index));
    }
    NDArray v0 = tableV.get(0);
    NDArray h0 = tableH.get(0);
    NDArray cls = Release.after(v0.add(h0), v0, h0);
    return new Tables(side, byRow, byColumn, cls);
  }

  /**
   * {@code T_v[iv] + T_h[ih]}, shape (tokens, tokens, headDim), made in the step manager: the dense form the
   * reference builds, kept as the oracle the factored {@link Tables} are tested against. Gathering by index keeps
   * autograd, so the tables receive (scatter-added) gradients.
   */
  NDArray embeddings(NDManager step, NDArray tableV, NDArray tableH) {
    long[] verticalIndex = new long[tokens * tokens];
    long[] horizontalIndex = new long[tokens * tokens];
    for (int row = 0; row < tokens; row++) {
      for (int col = 0; col < tokens; col++) {
        verticalIndex[row * tokens + col] = verticalIndex(row, col);
        horizontalIndex[row * tokens + col] = horizontalIndex(row, col);
      }
    }
    Shape square = new Shape(tokens, tokens);
    NDArray iv = HostArrays.longs(step, verticalIndex, square);
    NDArray ih = HostArrays.longs(step, horizontalIndex, square);
    NDArray vertical = tableV.get(step, new NDIndex("{}", iv));
    NDArray horizontal = tableH.get(step, new NDIndex("{}", ih));
    // Each gather is (tokens, tokens, 64): release them once summed, see Release. The indices too: they are
    // libtorch memory (HostArrays), which the gathers' backward keeps alive by its own reference. (Made from Java
    // buffers wrapped without a copy, as DJL's create does, they were read freed by backward under GC pressure:
    // "index 1396...736 is out of bounds".)
    return Release.after(vertical.add(horizontal), vertical, horizontal, iv, ih);
  }

  /**
   * The relative-position terms of attention without the dense (tokens, tokens, 64) embedding. For patch tokens
   * i = (ri, ci) and j = (rj, cj) the embedding is {@code T_v[iv(ri, rj)] + T_h[ih(ci, cj)]}: its vertical part
   * depends on the two rows only and its horizontal part on the two columns only, and any pair with the cls token
   * uses {@code T_v[0] + T_h[0]}. So {@code q_i . E_ij} is a (row, row) table product plus a (column, column) one,
   * broadcast over the grid, and {@code sum_j A_ij E_ij} needs only A summed over the key's columns (for the rows)
   * and over its rows (for the columns). Same values as the reference's gather-then-multiply up to float rounding
   * (sums grouped differently), without its (tokens^2 x 64) gathers and their scatter-add backward, which took a
   * fifth of a training step.
   *
   * @param byRow {@code T_v[iv(a, b)]} for grid rows a (query) and b (key), (side, side, 64)
   * @param byColumn {@code T_h[ih(a, b)]} for grid columns, (side, side, 64)
   * @param cls {@code T_v[0] + T_h[0]}, (64)
   */
  record Tables(int side, NDArray byRow, NDArray byColumn, NDArray cls) implements AutoCloseable {

    /** {@code q_i . E_ij} for q (B, h, tokens, 64): (B, h, tokens, tokens). */
    NDArray keyScores(NDArray q) {
      Shape shape = q.getShape();
      long b = shape.get(0);
      long h = shape.get(1);
      long d = shape.get(3);
      long bh = b * h;
      long n = (long) side * side + 1;
      long p = n - 1;
      NDArray flat = q.reshape(bh, n, d);
      NDArray clsColumn = cls.reshape(d, 1);
      NDArray withCls = Release.after(flat.matMul(clsColumn), clsColumn); // (bh, n, 1): q_i . E_i0 = q_i . E_0j
      NDArray patches = Views.narrow(flat, 1, 1, n).reshape(bh, side, side, d); // (bh, r, c, d)

      NDArray byRowT = byRow.transpose(0, 2, 1);
      NDArray rowsFirst = patches.transpose(1, 0, 2, 3).reshape(side, bh * side, d);
      NDArray rowProducts = Release.after(rowsFirst.matMul(byRowT), rowsFirst, byRowT); // (r, bh*c, rj)
      NDArray vertical = Release.after(rowProducts.reshape(side, bh, side, side).transpose(1, 0, 2, 3)
          .reshape(bh, side, side, side, 1), rowProducts);
      NDArray byColumnT = byColumn.transpose(0, 2, 1);
      NDArray columnsFirst = patches.transpose(2, 0, 1, 3).reshape(side, bh * side, d);
      NDArray columnProducts = Release.after(columnsFirst.matMul(byColumnT), columnsFirst, byColumnT, patches);
      NDArray horizontal = Release.after(columnProducts.reshape(side, bh, side, side).transpose(1, 2, 0, 3)
          .reshape(bh, side, side, 1, side), columnProducts);
      NDArray grid = Release.after(vertical.add(horizontal).reshape(bh, p, p), vertical, horizontal);

      NDArray firstColumn = Views.narrow(withCls, 1, 1, n);
      NDArray patchRows = Release.after(firstColumn.concat(grid, 2), firstColumn, grid); // (bh, p, n)
      NDArray clsRow = Views.narrow(withCls, 1, 0, 1).broadcast(bh, 1, n);
      NDArray all = Release.after(clsRow.concat(patchRows, 1), clsRow, patchRows, withCls);
      return Release.after(all.reshape(b, h, n, n), all);
    }

    /** {@code sum_j A_ij E_ij} for attention weights A (B, h, tokens, tokens): (B, h, tokens, 64). */
    NDArray valueMix(NDArray attn) {
      Shape shape = attn.getShape();
      long b = shape.get(0);
      long h = shape.get(1);
      long n = shape.get(2);
      long p = n - 1;
      long d = cls.getShape().get(0);
      long bh = b * h;
      NDArray flat = attn.reshape(bh, n, n);
      NDArray clsRowWeights = Views.narrow(flat, 1, 0, 1);
      NDArray clsRowTotal = Release.after(clsRowWeights.sum(new int[] {2}, true), clsRowWeights); // (bh, 1, 1)
      NDArray patchQueries = Views.narrow(flat, 1, 1, n); // (bh, p, n)
      NDArray clsKeyWeights = Views.narrow(patchQueries, 2, 0, 1); // (bh, p, 1)
      NDArray grid = Release.after(Views.narrow(patchQueries, 2, 1, n).reshape(bh, side, side, side, side),
          patchQueries); // (bh, r, c, rj, cj)
      NDArray perKeyRow = grid.sum(new int[] {4}); // (bh, r, c, rj)
      NDArray perKeyColumn = Release.after(grid.sum(new int[] {3}), grid); // (bh, r, c, cj)

      NDArray rowsFirst = Release.after(perKeyRow.transpose(1, 0, 2, 3).reshape(side, bh * side, side), perKeyRow);
      NDArray rowMix = Release.after(rowsFirst.matMul(byRow), rowsFirst); // (r, bh*c, d)
      NDArray vertical = Release.after(rowMix.reshape(side, bh, side, d).transpose(1, 0, 2, 3), rowMix);
      NDArray columnsFirst = Release.after(perKeyColumn.transpose(2, 0, 1, 3).reshape(side, bh * side, side),
          perKeyColumn);
      NDArray columnMix = Release.after(columnsFirst.matMul(byColumn), columnsFirst); // (c, bh*r, d)
      NDArray horizontal = Release.after(columnMix.reshape(side, bh, side, d).transpose(1, 2, 0, 3), columnMix);
      NDArray gridMix = Release.after(vertical.add(horizontal).reshape(bh, p, d), vertical, horizontal);
      NDArray clsKeyMix = Release.after(clsKeyWeights.mul(cls), clsKeyWeights);
      NDArray patchRows = Release.after(gridMix.add(clsKeyMix), gridMix, clsKeyMix);
      NDArray clsRow = Release.after(clsRowTotal.mul(cls), clsRowTotal); // (bh, 1, d)
      NDArray all = Release.after(clsRow.concat(patchRows, 1), clsRow, patchRows);
      return Release.after(all.reshape(b, h, n, d), all);
    }

    @Override
    public void close() {
      byRow.close();
      byColumn.close();
      cls.close();
    }
  }
}
