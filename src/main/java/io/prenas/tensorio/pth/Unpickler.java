package io.prenas.tensorio.pth;

import io.prenas.tensorio.pth.PickleValues.PyTuple;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine (protocols 0 to 5) that builds plain data only. It never looks up a Python name by
 * itself: every global, call, object creation, state update and persistent id goes through {@link Hooks}, which
 * decides what is allowed; opcodes whose meaning is "run registered code" (extension registry, out-of-band
 * buffers) are refused outright.
 */
final class Unpickler {

  /** What the stream may name and call; each method refuses with a {@link PthException} what it does not allow. */
  interface Hooks {
    /** A module-level name ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST}, {@code OBJ}). */
    Object global(String module, String name) throws PthException;

    /** {@code callable(*args)} ({@code REDUCE}, {@code INST}, {@code OBJ}). */
    Object call(Object callable, PyTuple args) throws PthException;

    /** {@code cls.__new__(cls, *args)} ({@code NEWOBJ}, {@code NEWOBJ_EX}). */
    Object newObject(Object cls, PyTuple args) throws PthException;

    /** {@code BUILD}: sets the state of {@code target}; returns the object that stays on the stack. */
    Object build(Object target, Object state) throws PthException;

    /** {@code BINPERSID}: an object stored outside the pickle. */
    Object persistentLoad(Object pid) throws PthException;
  }

  private final PickleInput in;
  private final Hooks hooks;
  private final String source;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  Unpickler(PickleInput in, Hooks hooks, String source) {
    this.in = in;
    this.hooks = hooks;
    this.source = source;
  }

  /** Runs the stream to its {@code STOP} and returns the object it built. */
  Object load() throws IOException {
    while (true) {
      long at = in.position();
      int op = in.u8();
      if (op == '.') {
        if (stack.size() != 1 || !marks.isEmpty()) {
          throw malformed(at, "STOP with " + stack.size() + " objects on the stack");
        }
        return stack.get(0);
      }
      step(op, at);
    }
  }

  private void step(int op, long at) throws IOException {
    switch (op) {
      case 0x80 -> { // PROTO
        int protocol = in.u8();
        if (protocol > 5) {
          throw malformed(at, "unsupported pickle protocol " + protocol);
        }
      }
      case 0x95 -> in.i64(); // FRAME: only a read-ahead hint
      case '(' -> marks.add(stack.size()); // MARK
      case '0' -> pop(at); // POP
      case '1' -> popMark(at); // POP_MARK
      case '2' -> push(peek(at)); // DUP
      case 'N' -> push(null);
      case 0x88 -> push(Boolean.TRUE);
      case 0x89 -> push(Boolean.FALSE);
      case 'J' -> push((long) in.i32()); // BININT
      case 'K' -> push((long) in.u8()); // BININT1
      case 'M' -> push((long) in.u16()); // BININT2
      case 0x8a -> push(longFrom(in.bytes(in.u8()))); // LONG1
      case 0x8b -> push(longFrom(in.bytes(nonNegative(in.i32(), at)))); // LONG4
      case 'I' -> push(intLine(in.line(), at)); // INT
      case 'L' -> push(normalise(parseInteger(stripSuffix(in.line(), "L"), at))); // LONG
      case 'G' -> push(ByteBuffer.wrap(in.bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
      case 'F' -> push(parseFloat(in.line(), at)); // FLOAT
      case 'X' -> push(utf8(in.bytes(in.u32()))); // BINUNICODE
      case 0x8c -> push(utf8(in.bytes(in.u8()))); // SHORT_BINUNICODE
      case 0x8d -> push(utf8(in.bytes(in.i64()))); // BINUNICODE8
      case 'T' -> push(latin1(in.bytes(nonNegative(in.i32(), at)))); // BINSTRING (Python 2 str)
      case 'U' -> push(latin1(in.bytes(in.u8()))); // SHORT_BINSTRING
      case 'B' -> push(in.bytes(in.u32())); // BINBYTES
      case 'C' -> push(in.bytes(in.u8())); // SHORT_BINBYTES
      case 0x8e, 0x96 -> push(in.bytes(in.i64())); // BINBYTES8, BYTEARRAY8
      case ')' -> push(new PyTuple(List.of()));
      case 't' -> push(new PyTuple(popMark(at))); // TUPLE
      case 0x85 -> push(tuple(1, at));
      case 0x86 -> push(tuple(2, at));
      case 0x87 -> push(tuple(3, at));
      case ']' -> push(new ArrayList<>()); // EMPTY_LIST
      case 'l' -> push(new ArrayList<>(popMark(at))); // LIST
      case 'a' -> { // APPEND
        Object item = pop(at);
        list(peek(at), at).add(item);
      }
      case 'e' -> { // APPENDS
        List<Object> items = popMark(at);
        list(peek(at), at).addAll(items);
      }
      case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
      case 'd' -> { // DICT
        Map<Object, Object> dict = new LinkedHashMap<>();
        putPairs(dict, popMark(at), at);
        push(dict);
      }
      case 's' -> { // SETITEM
        Object value = pop(at);
        Object key = pop(at);
        dict(peek(at), at).put(key, value);
      }
      case 'u' -> { // SETITEMS
        List<Object> pairs = popMark(at);
        putPairs(dict(peek(at), at), pairs, at);
      }
      case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
      case 0x90 -> { // ADDITEMS
        List<Object> items = popMark(at);
        set(peek(at), at).addAll(items);
      }
      case 0x91 -> push(new LinkedHashSet<>(popMark(at))); // FROZENSET
      case 'p' -> memo.put(parseLong(in.line(), at), peek(at)); // PUT
      case 'q' -> memo.put((long) in.u8(), peek(at)); // BINPUT
      case 'r' -> memo.put(in.u32(), peek(at)); // LONG_BINPUT
      case 0x94 -> memo.put((long) memo.size(), peek(at)); // MEMOIZE
      case 'g' -> push(memo(parseLong(in.line(), at), at)); // GET
      case 'h' -> push(memo(in.u8(), at)); // BINGET
      case 'j' -> push(memo(in.u32(), at)); // LONG_BINGET
      case 'c' -> push(hooks.global(in.line(), in.line())); // GLOBAL
      case 0x93 -> { // STACK_GLOBAL
        Object name = pop(at);
        Object module = pop(at);
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw malformed(at, "STACK_GLOBAL needs two strings");
        }
        push(hooks.global(m, n));
      }
      case 'R' -> { // REDUCE
        Object args = pop(at);
        Object callable = pop(at);
        push(hooks.call(callable, tupleArg(args, at)));
      }
      case 0x81 -> { // NEWOBJ
        Object args = pop(at);
        Object cls = pop(at);
        push(hooks.newObject(cls, tupleArg(args, at)));
      }
      case 0x92 -> { // NEWOBJ_EX
        Object kwargs = pop(at);
        Object args = pop(at);
        Object cls = pop(at);
        if (!(kwargs instanceof Map<?, ?> k) || !k.isEmpty()) {
          throw malformed(at, "NEWOBJ_EX with keyword arguments is not supported");
        }
        push(hooks.newObject(cls, tupleArg(args, at)));
      }
      case 'i' -> { // INST: a global and a call in one opcode
        Object cls = hooks.global(in.line(), in.line());
        push(hooks.call(cls, new PyTuple(popMark(at))));
      }
      case 'o' -> { // OBJ
        List<Object> items = popMark(at);
        if (items.isEmpty()) {
          throw malformed(at, "OBJ without a class");
        }
        push(hooks.call(items.get(0), new PyTuple(items.subList(1, items.size()))));
      }
      case 'b' -> { // BUILD
        Object state = pop(at);
        Object target = pop(at);
        push(hooks.build(target, state));
      }
      case 'Q' -> push(hooks.persistentLoad(pop(at))); // BINPERSID
      case 'P' -> push(hooks.persistentLoad(in.line())); // PERSID
      case 0x82, 0x83, 0x84 -> throw malformed(at, "extension-registry opcodes (EXT1/2/4) are not allowed");
      case 0x97, 0x98 -> throw malformed(at, "out-of-band buffers (protocol 5) are not supported");
      case 'S', 'V' -> throw malformed(at, "protocol-0 string opcodes are not supported (save with protocol 2+)");
      default -> throw malformed(at, String.format("unknown opcode 0x%02x", op));
    }
  }

  private void push(Object value) {
    stack.add(value);
  }

  private Object pop(long at) throws PthException {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw malformed(at, "stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek(long at) throws PthException {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw malformed(at, "stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  /** The objects pushed since the last MARK, which is removed. */
  private List<Object> popMark(long at) throws PthException {
    if (marks.isEmpty()) {
      throw malformed(at, "no MARK on the stack");
    }
    int mark = marks.remove(marks.size() - 1);
    List<Object> top = stack.subList(mark, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private PyTuple tuple(int n, long at) throws PthException {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop(at);
    }
    return new PyTuple(java.util.Arrays.asList(items));
  }

  private Object memo(long index, long at) throws PthException {
    if (!memo.containsKey(index)) {
      throw malformed(at, "memo entry " + index + " read before it was written");
    }
    return memo.get(index);
  }

  private void putPairs(Map<Object, Object> dict, List<Object> items, long at) throws PthException {
    if (items.size() % 2 != 0) {
      throw malformed(at, "odd number of items for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      dict.put(items.get(i), items.get(i + 1));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object target, long at) throws PthException {
    if (target instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw malformed(at, "APPEND to a " + PickleValues.typeName(target));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object target, long at) throws PthException {
    if (target instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw malformed(at, "SETITEM on a " + PickleValues.typeName(target));
  }

  @SuppressWarnings("unchecked")
  private Collection<Object> set(Object target, long at) throws PthException {
    if (target instanceof LinkedHashSet<?> s) {
      return (Collection<Object>) s;
    }
    throw malformed(at, "ADDITEMS on a " + PickleValues.typeName(target));
  }

  private PyTuple tupleArg(Object args, long at) throws PthException {
    if (args instanceof PyTuple t) {
      return t;
    }
    throw malformed(at, "call arguments must be a tuple, got " + PickleValues.typeName(args));
  }

  private long nonNegative(int n, long at) throws PthException {
    if (n < 0) {
      throw malformed(at, "negative length " + n);
    }
    return n;
  }

  /** Two's-complement little-endian, as LONG1/LONG4 store it. */
  private static Object longFrom(byte[] le) {
    if (le.length == 0) {
      return 0L;
    }
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return normalise(new BigInteger(be));
  }

  private static Object normalise(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private Object intLine(String text, long at) throws PthException {
    // Protocol 0 writes booleans as INT 01 / 00.
    if (text.equals("01")) {
      return Boolean.TRUE;
    }
    if (text.equals("00")) {
      return Boolean.FALSE;
    }
    return normalise(parseInteger(text, at));
  }

  private long parseLong(String text, long at) throws PthException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw malformed(at, "not an integer: '" + text + "'");
    }
  }

  private BigInteger parseInteger(String text, long at) throws PthException {
    try {
      return new BigInteger(text);
    } catch (NumberFormatException e) {
      throw malformed(at, "not an integer: '" + text + "'");
    }
  }

  private double parseFloat(String text, long at) throws PthException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw malformed(at, "not a float: '" + text + "'");
    }
  }

  private static String stripSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private PthException malformed(long at, String what) {
    return new PthException(source + ": malformed pickle at byte " + at + ": " + what);
  }
}
