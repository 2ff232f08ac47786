package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.prenas.supernet.HostArrays;
import io.prenas.supernet.Release;
import java.util.Arrays;

/**
 * The reference's 2-D relative position embedding ({@code RelativePosition2D_super}, spec 2.3): for patch tokens a
 * and b on a {@code side x side} grid, row index {@code clamp(b/side - a/side, +-maxRel) + maxRel + 1} into a
 * vertical table and column index {@code clamp(b%side - a%side, +-maxRel) + maxRel + 1} into a horizontal table,
 * summed. The cls token (row and column 0 of the (N+1) x (N+1) matrices) uses table row 0 for every pair.
 *
 * <p>Attention never builds the reference's dense (tokens, tokens, 64) embedding ({@link #embeddings}, kept as the
 * oracle the tests compare with). Its vertical part depends on the two grid rows only and its horizontal part on the
 * two columns only, so the scores {@code q_i . E_ij} and the value mix {@code sum_j A_ij E_ij} go through small
 * arrays, the {@link Lookup}. With the tables stacked as S = [T_v; T_h; T_v[0] + T_h[0]; 0] ((2 rows + 2) x 64,
 * rows = 2 maxRel + 2):
 * <ul>
 *   <li>the key basis K ((2 side + 2) x tokens, 0/1): row r marks the patch keys in grid row r, row side + c those in
 *       grid column c, row 2 side the cls key, the last row every key;</li>
 *   <li>the coefficient rows R (tokens x (2 side + 2)): per query, the row of S each basis row is weighted with. A
 *       patch query (ri, ci) reads {@code iv(ri, r)} for grid row r, {@code rows + ih(ci, c)} for grid column c, the
 *       cls row of S for the cls key and the zero row for "every key"; the cls query reads the zero row everywhere
 *       but at "every key", where it reads the cls row.</li>
 * </ul>
 * Then {@code q_i . E_ij = sum_e (q_i . S[R_ie]) K_ej} and {@code sum_j A_ij E_ij = sum_e (sum_j A_ij K_ej) S[R_ie]}:
 * a gather after one small product, and a scatter-add before one ({@link AttentionCore}). With clipped distances
 * (maxRel below side - 1) several grid lines read one table row; the scatter adds them up, as the dense form's
 * gradient does.
 */
final class RelativePosition2D {

  private final int side;
  private final int tokens;
  /** Table row of the grid-line pair (a, b), a the query's row (or column), b the key's: side x side. */
  private final long[] lineIndex;
  /** The key basis K, (2 side + 2) x tokens, row-major (class comment). */
  private final float[] basis;
  /** The coefficient rows R, tokens x (2 side + 2), row-major (class comment). */
  private final long[] coefficientRows;

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
    coefficientRows = coefficientRows(side, 2 * maxRelative + 2, lineIndex);
  }

  private static long[] coefficientRows(int side, int tableRows, long[] lineIndex) {
    int tokens = side * side + 1;
    int width = 2 * side + 2;
    long clsRow = 2L * tableRows;
    long zeroRow = clsRow + 1;
    long[] rows = new long[tokens * width];
    Arrays.fill(rows, 0, width - 1, zeroRow); // the cls query scores every key alike, through the last basis row
    rows[width - 1] = clsRow;
    for (int query = 1; query < tokens; query++) {
      int row = (query - 1) / side;
      int column = (query - 1) % side;
      int at = query * width;
      for (int line = 0; line < side; line++) {
        rows[at + line] = lineIndex[row * side + line];
        rows[at + side + line] = tableRows + lineIndex[column * side + line];
      }
      rows[at + 2 * side] = clsRow;
      rows[at + 2 * side + 1] = zeroRow;
    }
    return rows;
  }

  /** The lookup arrays of this grid (class comment), made in {@code step}; close them after the forward pass. */
  Lookup lookup(NDManager step) {
    return new Lookup(HostArrays.longs(step, coefficientRows, new Shape(tokens, 2L * side + 2)),
        HostArrays.floats(step, basis, new Shape(2L * side + 2, tokens)));
  }

  /** Number of tokens (patches + cls) the index matrices cover. */
  int tokens() {
    return tokens;
  }

  /** Table rows of the grid-line pairs: entry {@code a * side + b} for query line a and key line b (a copy). */
  long[] lineIndex() {
    return lineIndex.clone();
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
   * {@code T_v[iv] + T_h[ih]}, shape (tokens, tokens, headDim), made in the step manager: the dense form the
   * reference builds, kept as the oracle {@code AttentionCoreTest} compares attention with. Gathering by index keeps
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
   * The relative-position constants one forward pass shares across its blocks (class comment): the coefficient rows
   * R, int64 (tokens, 2 side + 2), and the key basis K, float32 (2 side + 2, tokens).
   */
  record Lookup(NDArray coefficientRows, NDArray keyBasis) implements AutoCloseable {

    @Override
    public void close() {
      coefficientRows.close();
      keyBasis.close();
    }
  }
}
