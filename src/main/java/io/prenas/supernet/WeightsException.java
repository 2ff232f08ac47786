package io.prenas.supernet;

/**
 * A weights file or tensor map does not fit the supernet or model it is meant for: a missing or unknown key, a
 * wrong shape or a non-float dtype. {@link #key()} names the tensor at fault.
 */
public class WeightsException extends IllegalArgumentException {

  private final String key;

  public WeightsException(String key, String message) {
    super("tensor '" + key + "': " + message);
    this.key = key;
  }

  /** The tensor key at fault. */
  public String key() {
    return key;
  }
}
