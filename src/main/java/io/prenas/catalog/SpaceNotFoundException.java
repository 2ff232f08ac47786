package io.prenas.catalog;

/** No built-in or registered space has this name. */
public class SpaceNotFoundException extends RuntimeException {

  private final String name;

  public SpaceNotFoundException(String name) {
    super("no search space named '" + name + "'");
    this.name = name;
  }

  public String name() {
    return name;
  }
}
