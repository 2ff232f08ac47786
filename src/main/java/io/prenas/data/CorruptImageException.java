package io.prenas.data;

/** An image file could not be decoded; {@link #path()} names it. */
public class CorruptImageException extends DataException {
  private final String path;

  public CorruptImageException(String path, String reason) {
    super(path + ": " + reason);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
