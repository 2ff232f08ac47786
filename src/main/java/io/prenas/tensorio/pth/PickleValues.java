package io.prenas.tensorio.pth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java forms of unpickled Python values that have no direct Java counterpart. Everything else maps to plain
 * Java: None to {@code null}, bool to {@link Boolean}, int to {@link Long} (or {@link java.math.BigInteger}),
 * float to {@link Double}, str to {@link String}, bytes to {@code byte[]}, list to {@link List}, dict and
 * OrderedDict to {@link LinkedHashMap}, set to {@link java.util.LinkedHashSet}.
 */
final class PickleValues {

  private PickleValues() {}

  /** A Python tuple: immutable, compares by its items (tuples are dict keys in optimizer states). */
  record PyTuple(List<Object> items) {
    PyTuple {
      items = Collections.unmodifiableList(new ArrayList<>(items)); // List.copyOf refuses None items
    }

    int size() {
      return items.size();
    }

    Object get(int i) {
      return items.get(i);
    }
  }

  /** A reference to an allowlisted module-level Python name (a class or function), never resolved to code. */
  record PyGlobal(String module, String name) {
    String qualifiedName() {
      return module + "." + name;
    }
  }

  /** An instance of an allowlisted plain-data class ({@code argparse.Namespace}) with its attributes. */
  record PyObject(PyGlobal type, Map<String, Object> attributes) {
    PyObject(PyGlobal type) {
      this(type, new LinkedHashMap<>());
    }
  }

  /** Python's name for the type of an unpickled value, for error messages. */
  static String typeName(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof TensorRef) {
      return "tensor";
    }
    if (value instanceof PyObject o) {
      return o.type().qualifiedName();
    }
    if (value instanceof PyGlobal g) {
      return g.qualifiedName();
    }
    if (value instanceof Map) {
      return "dict";
    }
    if (value instanceof List) {
      return "list";
    }
    if (value instanceof PyTuple) {
      return "tuple";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof Number) {
      return value instanceof Double ? "float" : "int";
    }
    return value.getClass().getSimpleName();
  }
}
