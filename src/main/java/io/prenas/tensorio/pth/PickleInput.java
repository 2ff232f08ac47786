package io.prenas.tensorio.pth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one pickle stream, read in order, with the number of bytes known up front. Every length that the
 * stream declares (a string, a long integer) is checked against what is left before anything is allocated, so a
 * hostile length costs an error, not memory.
 */
final class PickleInput {

  private final InputStream in;
  private final String source;
  private final long length;
  private long position;

  /**
   * @param length how many bytes the stream can give at most (the rest of the file or of the zip record)
   */
  PickleInput(InputStream in, long length, String source) {
    this.in = in;
    this.length = length;
    this.source = source;
  }

  /** Bytes consumed so far (where the next opcode starts, relative to the stream's start). */
  long position() {
    return position;
  }

  int u8() throws IOException {
    if (position >= length) {
      throw truncated(1);
    }
    int b = in.read();
    if (b < 0) {
      throw truncated(1);
    }
    position++;
    return b;
  }

  int u16() throws IOException {
    return u8() | (u8() << 8);
  }

  int i32() throws IOException {
    return u16() | (u16() << 16);
  }

  long u32() throws IOException {
    return i32() & 0xffffffffL;
  }

  long i64() throws IOException {
    return u32() | (u32() << 32);
  }

  byte[] bytes(long n) throws IOException {
    if (n < 0 || n > length - position) {
      throw truncated(n);
    }
    byte[] b = in.readNBytes((int) n);
    if (b.length != n) {
      throw truncated(n);
    }
    position += n;
    return b;
  }

  /** A text argument of the protocol-0 opcodes: the bytes up to a newline (ASCII/UTF-8). */
  String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b = u8(); b != '\n'; b = u8()) {
      if (s.length() > 1_000) {
        throw new PthException(source + ": malformed pickle: a text argument at byte " + position
            + " has no end of line within 1000 bytes");
      }
      s.append((char) b);
    }
    return new String(s.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private PthException truncated(long wanted) {
    return new PthException(source + ": truncated pickle: " + wanted + " more bytes needed at byte " + position
        + " but " + Math.max(0, length - position) + " are left");
  }
}
