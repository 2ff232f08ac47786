package io.prenas.tensorio.pth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip layout of PyTorch >= 1.6: {@code <name>/data.pkl} (the pickle) and {@code <name>/data/<key>} (one record
 * per storage, normally stored uncompressed). Records are read only to the length their storage needs, never
 * beyond it and never beyond the decode budget, so a compressed record cannot inflate without bound.
 */
final class ZipCheckpoint implements CheckpointContainer {

  /** The pickle itself holds only structure and names; a few MiB even for large checkpoints. */
  static final long MAX_PICKLE_BYTES = 256L * 1024 * 1024;

  private final ZipFile zip;
  private final String source;
  private final String prefix;
  private final long fileSize;
  private final ReadBudget budget;
  private final Object root;

  private ZipCheckpoint(ZipFile zip, String source, String prefix, long fileSize, ReadBudget budget)
      throws IOException {
    this.zip = zip;
    this.source = source;
    this.prefix = prefix;
    this.fileSize = fileSize;
    this.budget = budget;
    checkByteOrder();
    ZipEntry pickle = zip.getEntry(prefix + "data.pkl");
    if (pickle.getSize() < 0 || pickle.getSize() > MAX_PICKLE_BYTES) {
      throw new PthException(source + ": " + pickle.getName() + " declares " + pickle.getSize()
          + " bytes (at most " + MAX_PICKLE_BYTES + " are read)");
    }
    try (InputStream in = zip.getInputStream(pickle)) {
      PickleInput input = new PickleInput(in, pickle.getSize(), source + " (" + pickle.getName() + ")");
      this.root = new Unpickler(input, new TorchGlobals(source), source).load();
    } catch (ZipException | java.io.EOFException e) {
      throw new PthException(source + ": " + pickle.getName() + " cannot be read (" + e.getMessage() + ")");
    }
  }

  static ZipCheckpoint open(Path file, String source, ReadBudget budget) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException | java.io.EOFException e) {
      // EOFException: the end record's comment length points past the end of the file (found by PthFuzzTest).
      throw new PthException(source + ": not a complete zip archive (" + e.getMessage()
          + "); the file is truncated or corrupt");
    }
    try {
      return new ZipCheckpoint(zip, source, prefix(zip, source), java.nio.file.Files.size(file), budget);
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /** The archive's one top-level folder that holds {@code data.pkl} (torch.save names it after the file). */
  private static String prefix(ZipFile zip, String source) throws PthException {
    List<String> found = new ArrayList<>();
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
        found.add(name.substring(0, name.length() - "data.pkl".length()));
      }
    }
    if (found.size() != 1) {
      throw new PthException(source + ": a zip file but not a PyTorch checkpoint (expected one <name>/data.pkl, found "
          + found.size() + ")");
    }
    return found.get(0);
  }

  private void checkByteOrder() throws IOException {
    ZipEntry order = zip.getEntry(prefix + "byteorder");
    if (order == null) {
      return; // written since PyTorch 2.1; older files are little-endian
    }
    try (InputStream in = zip.getInputStream(order)) {
      String value = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
      if (!value.equals("little")) {
        throw new PthException(source + ": byte order '" + value + "' is not supported (little-endian only)");
      }
    }
  }

  @Override
  public Object root() {
    return root;
  }

  @Override
  public ByteBuffer storage(StorageRef storage) throws PthException {
    String name = prefix + "data/" + storage.key();
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new PthException(source + ": storage '" + storage.key() + "' has no record " + name);
    }
    long needed = storage.byteSize();
    if (entry.getSize() < needed) {
      throw new PthException(source + ": storage '" + storage.key() + "' declares " + storage.numel()
          + " elements (" + needed + " bytes) but its record holds " + entry.getSize());
    }
    if (entry.getMethod() == ZipEntry.STORED && entry.getCompressedSize() > fileSize) {
      throw new PthException(source + ": record " + name + " declares " + entry.getCompressedSize()
          + " bytes, more than the whole file (" + fileSize + ")");
    }
    budget.take(needed, "storage '" + storage.key() + "'");
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(Math.toIntExact(needed));
      if (bytes.length != needed) {
        throw new PthException(source + ": record " + name + " ends after " + bytes.length + " of " + needed
            + " bytes (truncated file)");
      }
      return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    } catch (ArithmeticException e) {
      throw new PthException(source + ": storage '" + storage.key() + "' is larger than 2 GiB");
    } catch (PthException e) {
      throw e;
    } catch (IOException e) {
      throw new PthException(source + ": record " + name + " cannot be read (" + e.getMessage()
          + "); the file is truncated or corrupt");
    }
  }

  @Override
  public String format() {
    return "zip";
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
