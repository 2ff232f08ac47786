package io.prenas.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only reference material ({@code ../shared}); Surefire passes it as {@code prenas.shared}. */
public final class SharedFiles {

  private SharedFiles() {}

  public static Path root() {
    Path p = Path.of(System.getProperty("prenas.shared", "../shared"));
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared reference folder not found at " + p.toAbsolutePath());
    }
    return p;
  }

  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** The micro-a parity fixtures. */
  public static Path microA(String file) {
    return resolve("fixtures/micro-a").resolve(file);
  }
}
