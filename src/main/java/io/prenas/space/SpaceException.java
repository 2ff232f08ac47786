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

  /** Keeps the key and cause of {@code original}; the message is used as it is. */
  private SpaceException(SpaceException original, String fullMessage) {
    super(fullMessage, original.getCause());
    this.key = original.key;
  }

  /** The key at fault, or {@code null} when the problem is not tied to one key. */
  public String key() {
    return key;
  }

  /**
   * The same error with a context in front of its message (a file name, an architecture index), so that a message
   * raised deep inside a parser still says where the problem is.
   */
  public SpaceException withContext(String context) {
    return new SpaceException(this, context + ": " + getMessage());
  }
}
