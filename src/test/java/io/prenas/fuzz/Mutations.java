package io.prenas.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutated inputs for the fuzz properties: a valid seed (a real space file, a real safetensors file...) with one to
 * eight byte-level edits: bit flips, bytes that matter to the format, inserted tokens of the format, deletions,
 * duplicated ranges and truncation. Starting from valid input keeps most tries deep inside the parser instead of
 * being refused at the first byte; edit positions are fractions of the length, so that jqwik shrinks a failure to a
 * small, readable example.
 */
public final class Mutations {

  private static final int MAX_EDITS = 8;
  private static final byte[] SPECIAL_BYTES = {0, -1, 0x7f, -128, '"', '\\', '\n', '\r', '\t', ':', ',', '{', '}',
      '[', ']', '-', '0', '9', '.', 'e', ' ', '#', '&', '*', '!', '\'', '|', '>'};

  private Mutations() {}

  /** A named valid input; the name shows in jqwik's report of a failing example. */
  public record Seed(String name, byte[] bytes) {

    public static Seed text(String name, String text) {
      return new Seed(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One edit of a byte array; {@code at} is a position as a fraction of the length. */
  public sealed interface Edit {
    byte[] apply(byte[] in);
  }

  record FlipBit(double at, int bit) implements Edit {
    public byte[] apply(byte[] in) {
      if (in.length == 0) {
        return in;
      }
      byte[] out = in.clone();
      out[index(at, in.length)] ^= (byte) (1 << bit);
      return out;
    }
  }

  record SetByte(double at, byte value) implements Edit {
    public byte[] apply(byte[] in) {
      if (in.length == 0) {
        return in;
      }
      byte[] out = in.clone();
      out[index(at, in.length)] = value;
      return out;
    }
  }

  record Insert(double at, byte[] bytes) implements Edit {
    public byte[] apply(byte[] in) {
      int i = index(at, in.length + 1);
      byte[] out = new byte[in.length + bytes.length];
      System.arraycopy(in, 0, out, 0, i);
      System.arraycopy(bytes, 0, out, i, bytes.length);
      System.arraycopy(in, i, out, i + bytes.length, in.length - i);
      return out;
    }

    @Override
    public String toString() {
      return "Insert[at=" + at + ", bytes=\"" + new String(bytes, StandardCharsets.ISO_8859_1) + "\"]";
    }
  }

  record Delete(double at, int length) implements Edit {
    public byte[] apply(byte[] in) {
      int i = index(at, in.length + 1);
      int n = Math.min(length, in.length - i);
      byte[] out = new byte[in.length - n];
      System.arraycopy(in, 0, out, 0, i);
      System.arraycopy(in, i + n, out, i, in.length - i - n);
      return out;
    }
  }

  /** Repeats a range in place: lists grow, keys repeat, lengths stop matching. */
  record Duplicate(double at, int length, int times) implements Edit {
    public byte[] apply(byte[] in) {
      int i = index(at, in.length + 1);
      byte[] range = Arrays.copyOfRange(in, i, Math.min(in.length, i + length));
      byte[] repeated = new byte[range.length * times];
      for (int k = 0; k < times; k++) {
        System.arraycopy(range, 0, repeated, k * range.length, range.length);
      }
      return new Insert((double) i / (in.length + 1), repeated).apply(in);
    }
  }

  record Truncate(double at) implements Edit {
    public byte[] apply(byte[] in) {
      return Arrays.copyOf(in, index(at, in.length + 1));
    }
  }

  /** Seeds with edits applied; {@code tokens} are fragments of the format worth inserting (keys, numbers, marks). */
  public static Arbitrary<byte[]> of(List<Seed> seeds, List<byte[]> tokens) {
    return Combinators.combine(Arbitraries.of(seeds), edits(tokens).list().ofMinSize(1).ofMaxSize(MAX_EDITS))
        .as(Mutations::apply);
  }

  /** One to eight edits, to apply to an input built elsewhere (e.g. a packed archive). */
  public static Arbitrary<List<Edit>> editList(List<byte[]> tokens) {
    return edits(tokens).list().ofMinSize(1).ofMaxSize(MAX_EDITS);
  }

  static byte[] apply(Seed seed, List<Edit> edits) {
    byte[] out = seed.bytes();
    for (Edit e : edits) {
      out = e.apply(out);
    }
    return out;
  }

  /** Tokens of a text format, as UTF-8. */
  public static List<byte[]> utf8(List<String> tokens) {
    return tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Tokens of a binary format written as text, one char per byte (e.g. pickle opcodes). */
  public static List<byte[]> latin1(List<String> tokens) {
    return tokens.stream().map(t -> t.getBytes(StandardCharsets.ISO_8859_1)).toList();
  }

  static Arbitrary<Edit> edits(List<byte[]> tokens) {
    Arbitrary<Double> at = Arbitraries.doubles().between(0, 1).ofScale(4);
    Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8);
    Arbitrary<byte[]> inserted = tokens.isEmpty() ? randomBytes
        : Arbitraries.oneOf(Arbitraries.of(tokens), randomBytes);
    Arbitrary<Integer> length = Arbitraries.integers().between(1, 64);
    // Inserts twice: they are what turns a valid document into an almost-valid one most often.
    return Arbitraries.oneOf(
        Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
        Combinators.combine(at, Arbitraries.of(specialBytes())).as(SetByte::new),
        Combinators.combine(at, inserted).as(Insert::new),
        Combinators.combine(at, inserted).as(Insert::new),
        Combinators.combine(at, length).as(Delete::new),
        Combinators.combine(at, length, Arbitraries.integers().between(1, 16)).as(Duplicate::new),
        at.map(Truncate::new));
  }

  private static List<Byte> specialBytes() {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : SPECIAL_BYTES) {
      bytes.add(b);
    }
    return bytes;
  }

  private static int index(double at, int length) {
    return Math.min(length - 1, (int) (at * length));
  }
}
