package io.prenas.tensorio;

import java.io.IOException;

/** A safetensors file is malformed, truncated, or does not hold what the caller needs. */
public class SafetensorsException extends IOException {
  public SafetensorsException(String message) {
    super(message);
  }
}
