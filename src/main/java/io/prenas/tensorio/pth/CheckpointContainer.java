package io.prenas.tensorio.pth;

import java.io.Closeable;
import java.nio.ByteBuffer;

/** One of the two file layouts of {@code torch.save}: the pickled object, and the storages it names by key. */
interface CheckpointContainer extends Closeable {

  /** The unpickled top-level object (storages not yet read). */
  Object root();

  /**
   * The whole bytes (little-endian) of the root storage that {@code storage} lies in: for a legacy storage view,
   * its root, of which the view starts {@link StorageRef#elementOffset()} elements in.
   */
  ByteBuffer storage(StorageRef storage) throws PthException;

  /** {@code zip} or {@code legacy}. */
  String format();
}
