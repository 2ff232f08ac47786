package io.prenas.tensorio.pth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds pickle streams opcode by opcode and wraps them in the two checkpoint layouts, so that tests can make
 * hostile and unusual checkpoints (views, bfloat16, forbidden globals) without Python.
 */
public final class PickleBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static PickleBytes protocol2() {
    PickleBytes p = new PickleBytes();
    p.op(0x80).op(2);
    return p;
  }

  public PickleBytes op(int opcode) {
    out.write(opcode);
    return this;
  }

  public PickleBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  public PickleBytes global(String module, String name) {
    op('c');
    return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public PickleBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    raw(le32(b.length));
    return raw(b);
  }

  public PickleBytes integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').op((int) v);
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      return raw(le32((int) v));
    }
    op(0x8a).op(8);
    return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  public PickleBytes mark() {
    return op('(');
  }

  public PickleBytes tuple() {
    return op('t');
  }

  public PickleBytes ints(long... values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return tuple();
  }

  /** {@code ('storage', torch.<type>, key, 'cpu', numel)} as a persistent id (zip layout). */
  public PickleBytes storage(String type, String key, long numel) {
    mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple();
    return op('Q');
  }

  /** The legacy layout's persistent id of a view: {@code (..., numel, (view_key, offset, view_numel))}. */
  public PickleBytes legacyStorageView(String type, String key, long numel, long offset, long viewNumel) {
    mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel);
    mark().str(key + "-view").integer(offset).integer(viewNumel).tuple();
    return tuple().op('Q');
  }

  /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}, storage pushed by caller. */
  public PickleBytes rebuildTensor(Runnable pushStorage, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2");
    mark();
    pushStorage.run();
    integer(offset).ints(size).ints(stride).op(0x89);
    global("collections", "OrderedDict").op(')').op('R');
    return tuple().op('R');
  }

  public PickleBytes stop() {
    return op('.');
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  public static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  public static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** A zip-layout checkpoint {@code archive/data.pkl} + {@code archive/data/<key>}, every record stored. */
  public static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, "archive/data.pkl", pickle);
      for (Map.Entry<String, byte[]> e : storages.entrySet()) {
        stored(zip, "archive/data/" + e.getKey(), e.getValue());
      }
      stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  public static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  /**
   * A legacy-layout checkpoint: magic, protocol 1001, sys info, the object, the key list, then each storage as an
   * int64 element count and its bytes.
   */
  public static Path legacy(Path file, byte[] objectPickle, Map<String, byte[]> storages, int elementSize)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(protocol2().op(0x8a).op(10).raw(new byte[] {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
        0x20, 0x6a, (byte) 0xa8, 0x50, 0x19}).stop().bytes());
    out.writeBytes(protocol2().integer(1001).stop().bytes());
    out.writeBytes(protocol2().op('}').str("little_endian").op(0x88).op('s').stop().bytes());
    out.writeBytes(objectPickle);
    PickleBytes keys = protocol2().op(']').mark();
    storages.keySet().forEach(keys::str);
    out.writeBytes(keys.op('e').stop().bytes());
    for (byte[] data : storages.values()) {
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length / elementSize)
          .array());
      out.writeBytes(data);
    }
    Files.write(file, out.toByteArray());
    return file;
  }
}
