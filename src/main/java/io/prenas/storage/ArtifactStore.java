package io.prenas.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The artifact store: files content-addressed by SHA-256 under {@code prenas.storage.dir} (written atomically by
 * {@link ArtifactFiles}), one {@code artifacts} row per file with its hash and size.
 */
@Service
public class ArtifactStore {

  private final ArtifactFiles files;
  private final ArtifactRepository rows;
  private final TransactionTemplate tx;

  ArtifactStore(StorageProperties properties, ArtifactRepository rows, TransactionTemplate tx) throws IOException {
    this.files = new ArtifactFiles(properties.dir());
    this.rows = rows;
    this.tx = tx;
  }

  /** Stores a stream (at most {@code maxBytes}); equal content is stored once and keeps its first kind. */
  public StoredArtifact store(InputStream in, ArtifactKind kind, long maxBytes) throws IOException {
    return store(in, kind, maxBytes, file -> { });
  }

  /** Like {@link #store(InputStream, ArtifactKind, long)}; {@code check} may reject the complete file first. */
  public StoredArtifact store(InputStream in, ArtifactKind kind, long maxBytes, ArtifactFiles.FileCheck check)
      throws IOException {
    ArtifactFiles.Written w = files.write(in, maxBytes, check);
    try {
      Artifact row = tx.execute(status -> rows.findById(w.sha256()).orElseGet(() ->
          rows.save(new Artifact(w.sha256(), w.size(), kind, w.relativePath(), Instant.now()))));
      return toStored(row);
    } catch (RuntimeException e) {
      if (!w.alreadyPresent() && rows.findById(w.sha256()).isEmpty()) {
        files.delete(w.sha256()); // no row, no file
      }
      throw e;
    }
  }

  /** Stores a whole file (copied; the source is left as it is). */
  public StoredArtifact store(Path file, ArtifactKind kind) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return store(in, kind, Long.MAX_VALUE);
    }
  }

  /**
   * Removes a superseded checkpoint (row and file) unless a job still names it; a job keeps only its latest
   * checkpoint, so a long training does not fill the disk with every one it wrote.
   *
   * @return true when it was removed
   */
  public boolean deleteCheckpointIfUnused(String sha256) throws IOException {
    if (!ArtifactFiles.isSha256(sha256) || rows.deleteUnusedCheckpoint(sha256) == 0) {
      return false;
    }
    files.delete(sha256);
    return true;
  }

  /** The artifact of a hash when both its row and its file exist. */
  public Optional<StoredArtifact> find(String sha256) {
    if (!ArtifactFiles.isSha256(sha256)) {
      return Optional.empty();
    }
    return rows.findById(sha256).filter(a -> files.find(a.sha256()).isPresent()).map(this::toStored);
  }

  /** Like {@link #find} but the artifact must exist. */
  public StoredArtifact get(String sha256) {
    return find(sha256).orElseThrow(() -> new UncheckedIOException(
        new IOException("artifact " + sha256 + " is missing from the storage directory " + files.root())));
  }

  public Path root() {
    return files.root();
  }

  private StoredArtifact toStored(Artifact a) {
    return new StoredArtifact(a.sha256(), a.sizeBytes(), a.kind(), files.root().resolve(a.path()), a.createdAt());
  }
}
