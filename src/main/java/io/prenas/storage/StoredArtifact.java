package io.prenas.storage;

import java.nio.file.Path;
import java.time.Instant;

/** A stored artifact as callers see it: its hash (the strong ETag), size, kind and the file to stream. */
public record StoredArtifact(String sha256, long size, ArtifactKind kind, Path file, Instant createdAt) {
  public StoredArtifact {
    if (!ArtifactFiles.isSha256(sha256)) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
