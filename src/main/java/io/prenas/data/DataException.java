package io.prenas.data;

import java.io.IOException;

/** A data set location is missing, malformed or unusable; the message names the file or folder. */
public class DataException extends IOException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
