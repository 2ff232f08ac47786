package io.prenas.api;

/**
 * An invalid request parameter or body field that the controllers detect themselves; {@link #field()} names it.
 * The exception handler turns it into a 400 problem.
 */
class ApiProblem extends RuntimeException {

  private final String field;

  ApiProblem(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
