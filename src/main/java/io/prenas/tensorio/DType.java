package io.prenas.tensorio;

/** Element types of the safetensors format that this project reads (names as written in the header). */
public enum DType {
  F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  static DType parse(String name, String tensor) throws SafetensorsException {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SafetensorsException("tensor '" + tensor + "' has unsupported dtype " + name);
    }
  }
}
