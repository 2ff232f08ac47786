package io.prenas.space;

/**
 * One architecture read from a file, with where it came from: its position in the file and, for a reference
 * preferred-architecture file, the bin key it was listed under ({@code "6.0"}); {@code null} for a plain list.
 */
public record ArchitectureEntry(int index, String binKey, Architecture architecture) {

  /** A short label for messages: {@code #3} or {@code #3 (bin "6.0")}. */
  public String label() {
    return label(index, binKey);
  }

  static String label(int index, String binKey) {
    return "#" + index + (binKey == null ? "" : " (bin \"" + binKey + "\")");
  }
}
