package io.prenas.tensorio.pth;

import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the state dict of a PyTorch checkpoint ({@code torch.save}, zip or legacy layout) without running
 * anything: the pickle is interpreted by this package's own small unpickler, which builds plain data and accepts
 * only the Python globals of {@link #allowedGlobals()}.
 *
 * <p>The state dict is the file's top-level dict when that holds tensors, else an entry of it: {@code model} (the
 * reference's and DeiT's training checkpoints), then {@code state_dict} (timm's), or the one {@code key} names.
 * Floating-point tensors come out as contiguous float32 (float32 bit for bit), integer tensors keep their type.
 */
public final class PthReader {

  /** Decoded bytes allowed per byte of file, on top of {@link #BUDGET_SLACK_BYTES} (float16 doubles in float32). */
  static final long BUDGET_PER_FILE_BYTE = 4;
  static final long BUDGET_SLACK_BYTES = 64L * 1024 * 1024;

  /** Keys tried, in order, when no key is given and the top level is not itself a state dict. */
  public static final List<String> DEFAULT_KEYS = List.of("model", "state_dict");

  private PthReader() {}

  /** A state dict read from a checkpoint: which entry it was ({@code null} for a bare state dict), the layout. */
  public record StateDict(String entry, String format, Map<String, Tensor> tensors) {
    public StateDict {
      tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
  }

  /** The Python globals a checkpoint may name; anything else is refused with its name. */
  public static Set<String> allowedGlobals() {
    return TorchGlobals.ALLOWED;
  }

  /**
   * Whether the first bytes of a file are those of a PyTorch checkpoint: a zip archive, or the legacy layout's
   * magic-number pickle. Neither can be the start of a safetensors file, whose ninth byte is '{'.
   */
  public static boolean isPth(byte[] head) {
    return isZip(head) || isLegacy(head);
  }

  /** Reads the first bytes of a file for {@link #isPth(byte[])}. */
  public static boolean isPth(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return isPth(in.readNBytes(16));
    }
  }

  /** Reads the state dict ({@code key}, or the default entry when null) with the default decode budget. */
  public static StateDict read(Path file, String key) throws IOException {
    return read(file, key, BUDGET_SLACK_BYTES + BUDGET_PER_FILE_BYTE * Files.size(file));
  }

  /**
   * Like {@link #read(Path, String)}, decoding at most {@code maxDecodedBytes} in all (storage data plus float32
   * output); beyond it the read fails, so hostile sizes cannot exhaust memory.
   */
  public static StateDict read(Path file, String key, long maxDecodedBytes) throws IOException {
    String source = file.toString();
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    }
    ReadBudget budget = new ReadBudget(source, maxDecodedBytes);
    try (CheckpointContainer container = open(file, head, source, budget)) {
      Selected selected = select(container.root(), key, source);
      return new StateDict(selected.entry, container.format(), materialize(selected.tensors, container, budget));
    } catch (StackOverflowError e) {
      throw new PthException(source + ": the pickle nests too deeply");
    }
  }

  private static CheckpointContainer open(Path file, byte[] head, String source, ReadBudget budget)
      throws IOException {
    if (isZip(head)) {
      return ZipCheckpoint.open(file, source, budget);
    }
    if (isLegacy(head)) {
      return LegacyCheckpoint.open(file, source, budget);
    }
    throw new PthException(source + ": not a PyTorch checkpoint (neither a zip archive nor the legacy format; "
        + head.length + " bytes start " + hex(head) + ")");
  }

  private record Selected(String entry, Map<String, TensorRef> tensors) {}

  private static Selected select(Object root, String key, String source) throws PthException {
    if (!(root instanceof Map<?, ?> top)) {
      throw new PthException(source + ": the checkpoint holds a " + PickleValues.typeName(root)
          + ", not a dict");
    }
    if (key != null) {
      if (!top.containsKey(key)) {
        throw new PthException(source + ": no entry '" + key + "' (entries: " + keys(top) + ")");
      }
      return new Selected(key, stateDict(top.get(key), "entry '" + key + "'", source));
    }
    if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorRef)) {
      return new Selected(null, stateDict(top, "the state dict", source));
    }
    for (String candidate : DEFAULT_KEYS) {
      if (top.get(candidate) instanceof Map<?, ?>) {
        return new Selected(candidate, stateDict(top.get(candidate), "entry '" + candidate + "'", source));
      }
    }
    throw new PthException(source + ": neither a state dict nor a checkpoint with a 'model' or 'state_dict' entry"
        + " (entries: " + keys(top) + "); choose one with --key");
  }

  private static Map<String, TensorRef> stateDict(Object value, String what, String source) throws PthException {
    if (!(value instanceof Map<?, ?> dict)) {
      throw new PthException(source + ": " + what + " is a " + PickleValues.typeName(value) + ", not a state dict");
    }
    Map<String, TensorRef> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
        throw new PthException(source + ": " + what + " is not a state dict: its item '" + e.getKey() + "' is a "
            + PickleValues.typeName(e.getValue()) + ", not a tensor");
      }
      tensors.put(name, t);
    }
    if (tensors.isEmpty()) {
      throw new PthException(source + ": " + what + " holds no tensors");
    }
    return tensors;
  }

  private static Map<String, Tensor> materialize(Map<String, TensorRef> refs, CheckpointContainer container,
      ReadBudget budget) throws PthException {
    Map<String, ByteBuffer> storages = new HashMap<>(); // several tensors may share one storage: read it once
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
      TensorRef ref = e.getValue();
      ByteBuffer root = storages.get(ref.storage().key());
      if (root == null) {
        root = container.storage(ref.storage()); // checks the declared size against the data first
        storages.put(ref.storage().key(), root);
      }
      try {
        budget.take(TensorViews.outputBytes(ref), "tensor '" + e.getKey() + "'");
      } catch (ArithmeticException overflow) {
        throw new PthException("tensor '" + e.getKey() + "' has an impossible size " + Arrays.toString(ref.size()));
      }
      tensors.put(e.getKey(), TensorViews.materialize(e.getKey(), ref, root));
    }
    return tensors;
  }

  private static boolean isZip(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  /** PROTO n, LONG1 of 10 bytes, then the magic number's first bytes (little-endian). */
  private static boolean isLegacy(byte[] head) {
    byte[] magic = {(byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a};
    if (head.length < 2 + magic.length || (head[0] & 0xff) != 0x80) {
      return false;
    }
    return Arrays.equals(Arrays.copyOfRange(head, 2, 2 + magic.length), magic);
  }

  private static String keys(Map<?, ?> dict) {
    StringBuilder s = new StringBuilder();
    for (Object k : dict.keySet()) {
      s.append(s.length() == 0 ? "" : ", ").append(k);
      if (s.length() > 200) {
        return s + ", ...";
      }
    }
    return s.toString();
  }

  private static String hex(byte[] head) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, head.length); i++) {
      s.append(String.format("%02x", head[i] & 0xff));
    }
    return s.toString();
  }
}
