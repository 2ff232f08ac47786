package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.prenas.supernet.HostArrays;
import io.prenas.supernet.Release;
import io.prenas.supernet.Views;
import java.util.Arrays;

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
  /** The keys' 0/1 basis, (2 side + 2) x tokens, row-major: see {@link Tables}. */
  private final float[] basis;

  RelativePosition2D(int side, int maxRelative) {
    this.side = side;
    tokens = side * side + 1;
    lineIndex = new long[side * side];
    for (int a = 0; a < side; a++) {
      for (int b = 0; b < side; b++) {
        lineIndex[a * side + b] = Math.max(-maxRelative, Math.min(maxRelative, b - a)) + maxRelative + 1;
      }
    }
    basis = new float[(2 * side + 2) * tokens];
    for (int key = 1; key < tokens; key++) {
      basis[(key - 1) / side * tokens + key] = 1; // the key's grid row
      basis[(side + (key - 1) % side) * tokens + key] = 1; // its grid column
    }
    basis[2 * side * tokens] = 1; // the cls key
    Arrays.fill(basis, (2 * side + 1) * tokens, (2 * side + 2) * tokens, 1f); // every key
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
    NDArray keys = HostArrays.floats(step, basis, new Shape(2L * side + 2, tokens));
    return new Tables(side, byRow, byColumn, cls, keys);
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
   * and {@code sum_j A_ij E_ij} needs only A summed over the key's columns (for the rows) and over its rows (for the
   * columns). Same values as the reference's gather-then-multiply up to float rounding (sums grouped differently),
   * without its (tokens^2 x 64) gathers and their scatter-add backward, which took a fifth of a training step.
   *
   * <p>Both directions go through one constant 0/1 matrix, the key basis K (2 side + 2, tokens):
   * row r marks the patch keys in grid row r, row side + c those in grid column c, row 2 side the cls key, the last
   * row every key. The scores are {@code C K} for per-query coefficients C (tokens x (2 side + 2), small), and the
   * key sums the value mix needs are {@code A K^T}. Each is one matrix product over the (tokens, tokens) array, and so
   * is its gradient; written with broadcasts, sums and concatenations instead, the same terms took several
   * element-wise passes over that array forward and as many again backward.
   *
   * @param byRow {@code T_v[iv(a, b)]} for grid rows a (query) and b (key), (side, side, 64)
   * @param byColumn {@code T_h[ih(a, b)]} for grid columns, (side, side, 64)
   * @param cls {@code T_v[0] + T_h[0]}, (64)
   * @param basis the key basis K, a constant, (2 side + 2, tokens)
   */
  record Tables(int side, NDArray byRow, NDArray byColumn, NDArray cls, NDArray basis) implements AutoCloseable {

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
          .reshape(bh, p, side), rowProducts);
      NDArray byColumnT = byColumn.transpose(0, 2, 1);
      NDArray columnsFirst = patches.transpose(2, 0, 1, 3).reshape(side, bh * side, d);
      NDArray columnProducts = Release.after(columnsFirst.matMul(byColumnT), columnsFirst, byColumnT, patches);
      NDArray horizontal = Release.after(columnProducts.reshape(side, bh, side, side).transpose(1, 2, 0, 3)
          .reshape(bh, p, side), columnProducts); // (bh, p, cj)

      // coefficients C (bh, tokens, 2 side + 2): a patch query weighs its key's grid row and column and the cls key;
      // the cls query scores every key alike, through the all-keys row of the basis
      NDManager step = q.getManager();
      NDArray clsKey = Views.narrow(withCls, 1, 1, n);
      NDArray allKeysOff = step.zeros(new Shape(bh, p, 1));
      NDArray patchRows = Release.after(NDArrays.concat(new NDList(vertical, horizontal, clsKey, allKeysOff), 2),
          vertical, horizontal, clsKey, allKeysOff);
      NDArray clsQuery = Views.narrow(withCls, 1, 0, 1);
      NDArray othersOff = step.zeros(new Shape(bh, 1, 2L * side + 1));
      NDArray clsRow = Release.after(othersOff.concat(clsQuery, 2), othersOff, clsQuery, withCls);
      NDArray coefficients = Release.after(clsRow.concat(patchRows, 1), clsRow, patchRows);
      NDArray scores = Release.after(coefficients.matMul(basis), coefficients); // (bh, n, n)
      return Release.after(scores.reshape(b, h, n, n), scores);
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
      NDArray basisT = basis.transpose();
      // per query: weight on each key grid row, on each key grid column, on the cls key, and in all
      NDArray sums = Release.after(flat.matMul(basisT), flat, basisT); // (bh, n, 2 side + 2)
      NDArray patchSums = Views.narrow(sums, 1, 1, n); // (bh, p, 2 side + 2)
      NDArray perKeyRow = Views.narrow(patchSums, 2, 0, side); // (bh, r*c, rj)
      NDArray rowsFirst = Release.after(perKeyRow.reshape(bh, side, side, side).transpose(1, 0, 2, 3)
          .reshape(side, bh * side, side), perKeyRow);
      NDArray rowMix = Release.after(rowsFirst.matMul(byRow), rowsFirst); // (r, bh*c, d)
      NDArray vertical = Release.after(rowMix.reshape(side, bh, side, d).transpose(1, 0, 2, 3), rowMix);
      NDArray perKeyColumn = Views.narrow(patchSums, 2, side, 2L * side); // (bh, r*c, cj)
      NDArray columnsFirst = Release.after(perKeyColumn.reshape(bh, side, side, side).transpose(2, 0, 1, 3)
          .reshape(side, bh * side, side), perKeyColumn);
      NDArray columnMix = Release.after(columnsFirst.matMul(byColumn), columnsFirst); // (c, bh*r, d)
      NDArray horizontal = Release.after(columnMix.reshape(side, bh, side, d).transpose(1, 2, 0, 3), columnMix);
      NDArray gridMix = Release.after(vertical.add(horizontal).reshape(bh, p, d), vertical, horizontal);
      NDArray clsKeyWeights = Views.narrow(patchSums, 2, 2L * side, 2L * side + 1); // (bh, p, 1)
      NDArray clsKeyMix = Release.after(clsKeyWeights.mul(cls), clsKeyWeights, patchSums);
      NDArray patchRows = Release.after(gridMix.add(clsKeyMix), gridMix, clsKeyMix);
      NDArray clsQuery = Views.narrow(sums, 1, 0, 1);
      NDArray clsRowTotal = Release.after(Views.narrow(clsQuery, 2, 2L * side + 1, 2L * side + 2), clsQuery, sums);
      NDArray clsRow = Release.after(clsRowTotal.mul(cls), clsRowTotal); // (bh, 1, d)
      NDArray all = Release.after(clsRow.concat(patchRows, 1), clsRow, patchRows);
      return Release.after(all.reshape(b, h, n, d), all);
    }

    @Override
    public void close() {
      byRow.close();
      byColumn.close();
      cls.close();
      basis.close();
    }
  }
}
