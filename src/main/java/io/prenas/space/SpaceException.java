package io.prenas.space;

/**
 * A search space, an architecture or a file describing one is invalid. {@link #key()} names the offending key
 * (for example {@code SEARCH_SPACE.EMBED_DIM} or {@code num_heads}) so that a CLI or HTTP error can point at it.
 */
public class SpaceException extends IllegalArgumentException {

  private final String key;

  public SpaceException(String key, String message) {
    super(key == null ? message : key + ": " + message);
    this.key = key;
  }

  public SpaceException(String key, String message, Throwable cause) {
    super(key == null ? message : key + ": " + message, cause);
    this.key = key;
  }

  /** The key at fault, or {@code null} when the problem is not tied to one key. */
  public String key() {
    return key;
  }
}
