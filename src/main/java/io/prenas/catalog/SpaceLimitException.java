package io.prenas.catalog;

/** A space beyond one of the {@link SpaceLimits}: it names the bound ({@code prenas.spaces.limits.<bound>}). */
public class SpaceLimitException extends RuntimeException {

  private final String bound;

  public SpaceLimitException(String bound, String message) {
    super(message + " (prenas.spaces.limits." + bound + ")");
    this.bound = bound;
  }

  /** The property name of the bound, e.g. {@code max-depth}. */
  public String bound() {
    return bound;
  }
}
