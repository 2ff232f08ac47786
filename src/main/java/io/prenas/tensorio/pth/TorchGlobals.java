package io.prenas.tensorio.pth;

import io.prenas.tensorio.DType;
import io.prenas.tensorio.pth.PickleValues.PyGlobal;
import io.prenas.tensorio.pth.PickleValues.PyObject;
import io.prenas.tensorio.pth.PickleValues.PyTuple;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The allowlist of Python globals a checkpoint may name, and what each one builds. These are the names that
 * {@code torch.save} writes for state dicts and the reference's training checkpoints; each is replaced by a plain
 * data structure, so nothing that a file names can run. Any other global is refused with its name, at the moment
 * the pickle names it, before any output exists.
 */
final class TorchGlobals implements Unpickler.Hooks {

  /** Storage classes and the element type of their data records. */
  static final Map<String, DType> STORAGE_TYPES = Map.ofEntries(
      Map.entry("torch.FloatStorage", DType.F32),
      Map.entry("torch.HalfStorage", DType.F16),
      Map.entry("torch.BFloat16Storage", DType.BF16),
      Map.entry("torch.DoubleStorage", DType.F64),
      Map.entry("torch.LongStorage", DType.I64),
      Map.entry("torch.IntStorage", DType.I32),
      Map.entry("torch.ShortStorage", DType.I16),
      Map.entry("torch.CharStorage", DType.I8),
      Map.entry("torch.ByteStorage", DType.U8),
      Map.entry("torch.BoolStorage", DType.BOOL));

  private static final String ORDERED_DICT = "collections.OrderedDict";
  private static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
  private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor";
  private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
  private static final String NAMESPACE = "argparse.Namespace";
  private static final String CODECS_ENCODE = "_codecs.encode";
  private static final String SET = "builtins.set";
  private static final String FROZENSET = "builtins.frozenset";

  /** Every name a checkpoint may use (storage classes included), for the README and error messages. */
  static final Set<String> ALLOWED = allowed();

  private final String source;
  private final Map<String, StorageRef> roots = new LinkedHashMap<>();

  TorchGlobals(String source) {
    this.source = source;
  }

  private static Set<String> allowed() {
    Set<String> names = new TreeSet<>(List.of(ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR, REBUILD_PARAMETER,
        NAMESPACE, CODECS_ENCODE, SET, FROZENSET));
    names.addAll(STORAGE_TYPES.keySet());
    return java.util.Collections.unmodifiableSet(names);
  }

  /** The whole storages the pickle named, by key (the element counts that their data records must hold). */
  Map<String, StorageRef> rootStorages() {
    return roots;
  }

  @Override
  public Object global(String module, String name) throws PthException {
    String qualified = module + "." + name;
    if (!ALLOWED.contains(qualified)) {
      throw new PthException(source + ": refused Python global '" + qualified + "': a checkpoint may name only "
          + String.join(", ", ALLOWED) + " (nothing in the file is run)");
    }
    return new PyGlobal(module, name);
  }

  @Override
  public Object call(Object callable, PyTuple args) throws PthException {
    String name = nameOf(callable, "call");
    switch (name) {
      case ORDERED_DICT -> {
        return orderedDict(args);
      }
      case REBUILD_TENSOR_V2, REBUILD_TENSOR -> {
        return rebuildTensor(args);
      }
      case REBUILD_PARAMETER -> { // (data, requires_grad, backward_hooks): the parameter is its data
        return arg(args, 0, TensorRef.class, name);
      }
      case CODECS_ENCODE -> { // protocol 2 writes bytes as _codecs.encode(text, 'latin1')
        return arg(args, 0, String.class, name).getBytes(StandardCharsets.ISO_8859_1);
      }
      case SET, FROZENSET -> {
        return args.size() == 0 ? new LinkedHashSet<>() : new LinkedHashSet<>(arg(args, 0, List.class, name));
      }
      case NAMESPACE -> {
        return new PyObject((PyGlobal) callable);
      }
      default -> throw new PthException(source + ": '" + name + "' cannot be called");
    }
  }

  @Override
  public Object newObject(Object cls, PyTuple args) throws PthException {
    String name = nameOf(cls, "instantiate");
    return switch (name) {
      case NAMESPACE -> new PyObject((PyGlobal) cls);
      case ORDERED_DICT -> new LinkedHashMap<>();
      default -> throw new PthException(source + ": '" + name + "' cannot be instantiated");
    };
  }

  @Override
  public Object build(Object target, Object state) throws PthException {
    if (target instanceof PyObject o && state instanceof Map<?, ?> attributes) {
      attributes.forEach((k, v) -> o.attributes().put(String.valueOf(k), v));
      return o;
    }
    if (target instanceof Map<?, ?> && state instanceof Map<?, ?>) {
      // An OrderedDict's own attributes (a state dict's '_metadata' of module versions): not items, not needed.
      return target;
    }
    throw new PthException(source + ": cannot set the state of a " + PickleValues.typeName(target) + " from a "
        + PickleValues.typeName(state));
  }

  /**
   * {@code ('storage', storage_class, key, location, numel)} in the zip format; the legacy format adds a view
   * {@code (view_key, offset, numel)} or None.
   */
  @Override
  public Object persistentLoad(Object pid) throws PthException {
    if (!(pid instanceof PyTuple t) || (t.size() != 5 && t.size() != 6) || !"storage".equals(t.get(0))) {
      throw new PthException(source + ": unsupported persistent id " + describe(pid)
          + " (expected ('storage', class, key, location, numel))");
    }
    DType dtype = STORAGE_TYPES.get(nameOf(t.get(1), "use as a storage class"));
    if (dtype == null) {
      throw new PthException(source + ": '" + nameOf(t.get(1), "") + "' is not a storage class");
    }
    String key = String.valueOf(t.get(2));
    long numel = count(t.get(4), "storage '" + key + "' element count");
    StorageRef root = new StorageRef(key, dtype, numel, 0);
    try {
      root.byteSize();
    } catch (ArithmeticException e) {
      throw new PthException(source + ": storage '" + key + "' declares an impossible " + numel + " elements");
    }
    StorageRef known = roots.putIfAbsent(key, root);
    if (known != null && !known.equals(root)) {
      throw new PthException(source + ": storage '" + key + "' is declared twice with different types or sizes");
    }
    if (t.size() == 6 && t.get(5) != null) {
      return legacyView(root, t.get(5));
    }
    return root;
  }

  private StorageRef legacyView(StorageRef root, Object view) throws PthException {
    if (!(view instanceof PyTuple v) || v.size() != 3) {
      throw new PthException(source + ": malformed storage view of '" + root.key() + "'");
    }
    long offset = count(v.get(1), "storage view offset");
    long numel = count(v.get(2), "storage view size");
    if (offset + numel > root.numel()) {
      throw new PthException(source + ": a view of storage '" + root.key() + "' covers elements " + offset + ".."
          + (offset + numel) + " of its " + root.numel());
    }
    return new StorageRef(root.key(), root.dtype(), numel, offset);
  }

  private Map<Object, Object> orderedDict(PyTuple args) throws PthException {
    Map<Object, Object> dict = new LinkedHashMap<>();
    if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
      for (Object pair : pairs) {
        if (!(pair instanceof PyTuple p) || p.size() != 2) {
          throw new PthException(source + ": OrderedDict items must be (key, value) pairs");
        }
        dict.put(p.get(0), p.get(1));
      }
    } else if (args.size() != 0) {
      throw new PthException(source + ": unsupported OrderedDict arguments");
    }
    return dict;
  }

  /** {@code (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
  private TensorRef rebuildTensor(PyTuple args) throws PthException {
    if (args.size() < 4) {
      throw new PthException(source + ": a tensor needs (storage, offset, size, stride), got " + args.size()
          + " arguments");
    }
    StorageRef storage = arg(args, 0, StorageRef.class, "a tensor's storage");
    long offset = count(args.get(1), "tensor storage offset");
    long[] size = dims(args.get(2), "tensor size");
    long[] stride = dims(args.get(3), "tensor stride");
    if (size.length != stride.length) {
      throw new PthException(source + ": a tensor has " + size.length + " sizes but " + stride.length + " strides");
    }
    return new TensorRef(storage, offset, size, stride);
  }

  private long[] dims(Object value, String what) throws PthException {
    if (!(value instanceof PyTuple t)) {
      throw new PthException(source + ": " + what + " must be a tuple, got " + PickleValues.typeName(value));
    }
    long[] out = new long[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = count(t.get(i), what);
    }
    return out;
  }

  private long count(Object value, String what) throws PthException {
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw new PthException(source + ": " + what + " must be a non-negative integer, got " + describe(value));
  }

  private <T> T arg(PyTuple args, int i, Class<T> type, String what) throws PthException {
    if (args.size() <= i || !type.isInstance(args.get(i))) {
      throw new PthException(source + ": unexpected arguments for " + what);
    }
    return type.cast(args.get(i));
  }

  private String nameOf(Object value, String action) throws PthException {
    if (value instanceof PyGlobal g) {
      return g.qualifiedName();
    }
    throw new PthException(source + ": cannot " + action + " a " + PickleValues.typeName(value));
  }

  private static String describe(Object value) {
    String s = value instanceof PyTuple t ? t.items().toString() : String.valueOf(value);
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
