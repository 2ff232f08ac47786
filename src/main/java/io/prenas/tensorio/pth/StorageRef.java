package io.prenas.tensorio.pth;

import io.prenas.tensorio.DType;

/**
 * A storage that a checkpoint's pickle names by key (its persistent id); the bytes live outside the pickle (a zip
 * record, or after the pickles in the legacy format) and are read only when a tensor of the chosen entry needs them.
 *
 * @param key the record key ({@code archive/data/<key>}, or the legacy root key)
 * @param numel the number of elements the pickle declares for the storage
 * @param elementOffset where this storage starts inside its root, in elements (legacy storage views; else 0)
 */
record StorageRef(String key, DType dtype, long numel, long elementOffset) {

  long byteSize() {
    return Math.multiplyExact(numel, (long) dtype.bytes());
  }
}
