package io.prenas.api;

/** A resource named by the request does not exist; {@link #field()} names the parameter. Mapped to 404. */
class NotFound extends RuntimeException {

  private final String field;

  NotFound(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
