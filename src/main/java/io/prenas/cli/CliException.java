package io.prenas.cli;

/** Bad command-line input; reported as one line on stderr with exit code 2. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
