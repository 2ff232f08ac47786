package io.prenas.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed: a big-endian magic number
 * {@code 0x0000 08 NN} (unsigned bytes, NN dimensions), NN big-endian dimension sizes, then the data.
 */
final class IdxReader {

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** An unsigned-byte IDX array: its dimensions and its values in row-major order. */
  record IdxArray(int[] dims, byte[] data) {
    int count() {
      return dims[0];
    }
  }

  static IdxArray read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream in = new DataInputStream(maybeGunzip(raw))) {
      int magic = in.readInt();
      if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
        throw new DataException(file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
      }
      int rank = magic & 0xff;
      if (rank < 1 || rank > 4) {
        throw new DataException(file + ": IDX rank " + rank + " is not supported");
      }
      int[] dims = new int[rank];
      long total = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0) {
          throw new DataException(file + ": negative IDX dimension " + dims[i]);
        }
        total *= dims[i];
      }
      if (total > Integer.MAX_VALUE - 8) {
        throw new DataException(file + ": IDX file too large (" + total + " values)");
      }
      byte[] data = new byte[(int) total];
      try {
        in.readFully(data);
      } catch (EOFException e) {
        throw new DataException(file + ": truncated IDX file (expected " + total + " values)");
      }
      return new IdxArray(dims, data);
    }
  }

  private static InputStream maybeGunzip(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    return gzip ? new GZIPInputStream(in, 1 << 16) : in;
  }
}
