package io.prenas.selector;

/**
 * The selector cannot run on its input: a missing or mis-shaped tensor, bounds that define no bin, or a search that
 * leaves every bin empty. The message says what to change; the CLI reports it as one line.
 */
public class SelectorException extends IllegalArgumentException {
  public SelectorException(String message) {
    super(message);
  }
}
