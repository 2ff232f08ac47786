package io.prenas.space;

/**
 * A preferred-architecture file is not acceptable. Says where: the bin key and the entry's index in that bin (from
 * 0), and the member of the entry at fault when there is one; {@link #pointer()} is the same place as a JSON pointer
 * (RFC 6901), so that an HTTP problem can point at it.
 */
public class PreferredFileException extends SpaceException {

  private final String binKey;
  private final Integer index;
  private final String member;

  PreferredFileException(String binKey, Integer index, String member, String message) {
    super(null, place(binKey, index) + message);
    this.binKey = binKey;
    this.index = index;
    this.member = member;
  }

  /** The bin key at fault, or {@code null} when the whole file is. */
  public String binKey() {
    return binKey;
  }

  /** The entry's index in its bin, or {@code null} when a bin or the whole file is at fault. */
  public Integer index() {
    return index;
  }

  /** {@code ""} (the whole file), {@code /6.0}, {@code /6.0/2} or {@code /6.0/2/num_params}. */
  public String pointer() {
    StringBuilder p = new StringBuilder();
    if (binKey != null) {
      p.append('/').append(binKey.replace("~", "~0").replace("/", "~1"));
    }
    if (index != null) {
      p.append('/').append(index);
    }
    if (member != null) {
      p.append('/').append(member);
    }
    return p.toString();
  }

  private static String place(String binKey, Integer index) {
    if (binKey == null) {
      return "";
    }
    return "bin \"" + binKey + "\"" + (index == null ? "" : " entry " + index) + ": ";
  }
}
