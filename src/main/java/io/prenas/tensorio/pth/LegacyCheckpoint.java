package io.prenas.tensorio.pth;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy layout of {@code torch.save} (before PyTorch 1.6, or {@code _use_new_zipfile_serialization=False}):
 * five pickles in a row (magic number, protocol version 1001, system info, the object, the list of storage keys),
 * then each storage as an int64 element count followed by its raw data. The offsets of all storages are checked
 * against the file's size when it is opened.
 */
final class LegacyCheckpoint implements CheckpointContainer {

  /** The first pickle of every legacy file ({@code torch.serialization.MAGIC_NUMBER}). */
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long PROTOCOL_VERSION = 1001;

  private final FileChannel channel;
  private final String source;
  private final ReadBudget budget;
  private final Map<String, Long> dataOffsets = new HashMap<>();
  private final Map<String, StorageRef> roots = new HashMap<>();
  private Object root;

  private LegacyCheckpoint(FileChannel channel, String source, ReadBudget budget) {
    this.channel = channel;
    this.source = source;
    this.budget = budget;
  }

  static LegacyCheckpoint open(Path file, String source, ReadBudget budget) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    LegacyCheckpoint checkpoint = new LegacyCheckpoint(channel, source, budget);
    try {
      checkpoint.readPickles();
      return checkpoint;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void readPickles() throws IOException {
    long size = channel.size();
    InputStream stream = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
    PickleInput in = new PickleInput(stream, size, source);
    TorchGlobals globals = new TorchGlobals(source);
    if (!MAGIC.equals(new Unpickler(in, globals, source).load())) {
      throw new PthException(source + ": not a PyTorch checkpoint (no legacy magic number)");
    }
    Object protocol = new Unpickler(in, globals, source).load();
    if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
      throw new PthException(source + ": unsupported legacy protocol version " + protocol);
    }
    if (!(new Unpickler(in, globals, source).load() instanceof Map<?, ?> sysInfo)
        || !Boolean.TRUE.equals(sysInfo.get("little_endian"))) {
      throw new PthException(source + ": only little-endian legacy checkpoints are supported");
    }
    root = new Unpickler(in, globals, source).load();
    if (!(new Unpickler(in, globals, source).load() instanceof List<?> keys)) {
      throw new PthException(source + ": malformed legacy checkpoint: no list of storage keys");
    }
    locateStorages(keys, globals.rootStorages(), in.position(), size);
  }

  /** Walks the storage records after the pickles, checking each declared count against the pickle and the file. */
  private void locateStorages(List<?> keys, Map<String, StorageRef> storages, long start, long size)
      throws IOException {
    long position = start;
    ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (Object key : keys) {
      StorageRef storage = storages.get(String.valueOf(key));
      if (storage == null) {
        throw new PthException(source + ": storage key '" + key + "' is listed but no tensor names it");
      }
      if (size - position < 8) {
        throw new PthException(source + ": truncated: the file ends before storage '" + key + "' (byte " + position
            + " of " + size + ")");
      }
      count.clear();
      while (count.hasRemaining() && channel.read(count, position + count.position()) > 0) {
        // read the 8-byte element count
      }
      long numel = count.getLong(0);
      if (numel != storage.numel()) {
        throw new PthException(source + ": storage '" + key + "' holds " + numel + " elements but the pickle declares "
            + storage.numel());
      }
      long end = position + 8 + storage.byteSize();
      if (end > size || end < position) {
        throw new PthException(source + ": truncated: storage '" + key + "' declares " + storage.byteSize()
            + " bytes from byte " + (position + 8) + ", beyond the end of the file (" + size + " bytes)");
      }
      dataOffsets.put(storage.key(), position + 8);
      roots.put(storage.key(), storage);
      position = end;
    }
  }

  @Override
  public Object root() {
    return root;
  }

  @Override
  public ByteBuffer storage(StorageRef view) throws PthException {
    Long offset = dataOffsets.get(view.key());
    StorageRef storage = roots.get(view.key());
    if (offset == null) {
      throw new PthException(source + ": storage '" + storage.key() + "' has no data in the file");
    }
    if (storage.byteSize() > Integer.MAX_VALUE) {
      throw new PthException(source + ": storage '" + storage.key() + "' is larger than 2 GiB");
    }
    budget.take(storage.byteSize(), "storage '" + storage.key() + "'");
    ByteBuffer buf = ByteBuffer.allocate((int) storage.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (buf.hasRemaining()) {
        if (channel.read(buf, offset + buf.position()) < 0) {
          throw new PthException(source + ": storage '" + storage.key() + "' ends early (file changed?)");
        }
      }
    } catch (PthException e) {
      throw e;
    } catch (IOException e) {
      throw new PthException(source + ": storage '" + storage.key() + "' cannot be read: " + e.getMessage());
    }
    return buf.flip();
  }

  @Override
  public String format() {
    return "legacy";
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
