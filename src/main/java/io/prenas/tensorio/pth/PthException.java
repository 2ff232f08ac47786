package io.prenas.tensorio.pth;

import java.io.IOException;

/**
 * A PyTorch checkpoint cannot be imported: it is truncated or malformed, declares more data than it holds, names a
 * Python global outside the allowlist, or does not hold a state dict where one was asked for.
 */
public class PthException extends IOException {
  public PthException(String message) {
    super(message);
  }
}
