package io.prenas.catalog;

/** The request conflicts with the catalog's state (e.g. a space name already taken); {@link #field()} names why. */
public class CatalogConflictException extends RuntimeException {

  private final String field;

  public CatalogConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
