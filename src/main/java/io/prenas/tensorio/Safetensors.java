package io.prenas.tensorio;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.fileio.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}, "__metadata__": {...}}}, then the raw little-endian data.
 *
 * <p>Reading validates everything a hostile or truncated file could get wrong (header size, JSON, dtypes, shapes,
 * offsets inside the data and matching the shape, no overlap) and reports the tensor at fault. Writing is atomic:
 * a temporary file in the target directory is written, forced to disk, then renamed over the target, so a reader
 * never sees a half-written file.
 */
public final class Safetensors {

  /** Upper bound for the JSON header; real headers are a few hundred KiB at most. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** The parsed content of a file: tensors in header order, and the optional string metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public Contents {
      tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      metadata = Map.copyOf(metadata);
    }

    /** The named tensor, or an exception naming the missing key. */
    public Tensor require(String name) throws SafetensorsException {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new SafetensorsException("missing tensor '" + name + "'");
      }
      return t;
    }
  }

  /** Reads a whole file (memory-mapped; tensors are views on the mapping). */
  public static Contents read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        // A mapping is limited to 2 GiB; read such files in one heap buffer per tensor instead.
        return parse(file.toString(), ch, size);
      }
      ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      return parse(file.toString(), all);
    }
  }

  /** Parses a file held in memory (e.g. an HTTP upload). */
  public static Contents parse(String source, ByteBuffer all) throws SafetensorsException {
    all = all.slice().order(ByteOrder.LITTLE_ENDIAN);
    long size = all.remaining();
    long headerLen = readHeaderLength(source, size < 8 ? -1 : all.getLong(0), size);
    byte[] header = new byte[(int) headerLen];
    all.get(8, header);
    long dataStart = 8 + headerLen;
    List<Entry> entries = parseHeader(source, header, size - dataStart);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      ByteBuffer slice = all.slice((int) (dataStart + e.begin), (int) (e.end - e.begin));
      tensors.put(e.name, new Tensor(e.dtype, e.shape, slice));
    }
    return new Contents(tensors, metadata(source, header));
  }

  private static Contents parse(String source, FileChannel ch, long size) throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0); // files over 2 GiB are never shorter than 8 bytes
    long headerLen = readHeaderLength(source, lenBuf.getLong(0), size);
    ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
    readFully(ch, headerBuf, 8);
    byte[] header = headerBuf.array();
    long dataStart = 8 + headerLen;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : parseHeader(source, header, size - dataStart)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.end - e.begin));
      readFully(ch, buf, dataStart + e.begin);
      buf.flip();
      tensors.put(e.name, new Tensor(e.dtype, e.shape, buf));
    }
    return new Contents(tensors, metadata(source, header));
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new SafetensorsException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
    buf.flip();
  }

  private static long readHeaderLength(String source, long headerLen, long size) throws SafetensorsException {
    if (size < 8) {
      throw new SafetensorsException(source + ": not a safetensors file (" + size + " bytes, no header length)");
    }
    if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
      throw new SafetensorsException(source + ": invalid header length " + headerLen + " for a file of "
          + size + " bytes (truncated or not a safetensors file)");
    }
    return headerLen;
  }

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private static List<Entry> parseHeader(String source, byte[] header, long dataBytes)
      throws SafetensorsException {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      throw new SafetensorsException(source + ": header is not valid JSON: " + firstLine(e));
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException(source + ": header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        continue;
      }
      entries.add(entry(source, f.getKey(), f.getValue(), dataBytes));
    }
    // Tensors must tile the data region without overlap or gaps (the format requires it; a gap would hide data).
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(java.util.Comparator.comparingLong(Entry::begin));
    long expected = 0;
    for (Entry e : byOffset) {
      if (e.begin != expected) {
        throw new SafetensorsException(source + ": tensor '" + e.name + "' starts at byte " + e.begin
            + ", expected " + expected + " (overlapping or non-contiguous data)");
      }
      expected = e.end;
    }
    if (expected != dataBytes) {
      throw new SafetensorsException(source + ": data region has " + dataBytes + " bytes but tensors cover "
          + expected + (expected < dataBytes ? " (trailing bytes)" : " (truncated)"));
    }
    return entries;
  }

  private static Entry entry(String source, String name, JsonNode node, long dataBytes)
      throws SafetensorsException {
    String where = source + ": tensor '" + name + "'";
    if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
        || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
      throw new SafetensorsException(where + " needs dtype, shape and data_offsets [begin, end]");
    }
    DType dtype = DType.parse(node.get("dtype").asText(), name);
    JsonNode shapeNode = node.get("shape");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw new SafetensorsException(where + " has an invalid shape " + shapeNode);
      }
      shape[i] = d.asLong();
    }
    JsonNode off = node.get("data_offsets");
    if (!off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
      throw new SafetensorsException(where + " has non-integer data_offsets " + off);
    }
    long begin = off.get(0).asLong();
    long end = off.get(1).asLong();
    if (begin < 0 || end < begin || end > dataBytes) {
      throw new SafetensorsException(where + " has data_offsets " + off + " outside the data region of "
          + dataBytes + " bytes (truncated file?)");
    }
    long numel;
    try {
      numel = Tensor.numel(shape);
    } catch (ArithmeticException e) {
      throw new SafetensorsException(where + " has an impossibly large shape " + shapeNode);
    }
    if (numel * dtype.bytes() != end - begin) {
      throw new SafetensorsException(where + " of shape " + shapeNode + " and dtype " + dtype + " needs "
          + numel * dtype.bytes() + " bytes but data_offsets span " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static Map<String, String> metadata(String source, byte[] header) throws SafetensorsException {
    try {
      JsonNode meta = JSON.readTree(header).get("__metadata__");
      Map<String, String> out = new LinkedHashMap<>();
      if (meta != null && meta.isObject()) {
        meta.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
      }
      return out;
    } catch (IOException e) {
      throw new SafetensorsException(source + ": header is not valid JSON");
    }
  }

  /** Writes tensors (in map order) atomically and durably; the target is replaced only once the file is complete. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    AtomicFiles.write(file, AtomicFiles.Sync.DURABLE, out -> writeTo(out, tensors, metadata));
  }

  /** Streams a safetensors encoding of the tensors (header padded with spaces to a multiple of 8 bytes). */
  public static void writeTo(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
    out.write(len.array());
    out.write(header);
    byte[] chunk = new byte[1 << 16];
    for (Tensor t : tensors.values()) {
      ByteBuffer data = t.data().duplicate();
      while (data.hasRemaining()) {
        int n = Math.min(chunk.length, data.remaining());
        data.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }

  /** Total size in bytes of the encoding {@link #writeTo} produces. */
  public static long encodedSize(Map<String, Tensor> tensors, Map<String, String> metadata) {
    long size = 8 + header(tensors, metadata).length;
    for (Tensor t : tensors.values()) {
      size += t.byteSize();
    }
    return size;
  }

  private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      // Sorted: callers pass Map.of, whose order changes from one JVM to the next, and equal content must give
      // equal bytes (artifacts are addressed by their SHA-256).
      new java.util.TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      ObjectNode node = root.putObject(e.getKey());
      node.put("dtype", t.dtype().name());
      var shape = node.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      var off = node.putArray("data_offsets");
      off.add(offset);
      off.add(offset + t.byteSize());
      offset += t.byteSize();
    }
    try {
      byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
      // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
      byte[] padded = java.util.Arrays.copyOf(json, (json.length + 7) / 8 * 8);
      java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
      return padded;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
