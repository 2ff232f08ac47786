package io.prenas.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a failure of the storage itself (disk full, read-only or unwritable file system) in an exception's cause
 * chain, so that a job fails at once with a reason an operator can act on instead of being retried into the same wall,
 * and an upload is answered 507 instead of 500.
 */
public final class StorageFailure {

  private StorageFailure() {}

  /**
   * A one-line reason when {@code error} (or one of its causes) is a storage failure, else empty.
   *
   * @param storageDir the configured storage directory, named in the reason so the operator knows what to fix
   */
  public static Optional<String> describe(Throwable error, Path storageDir) {
    return find(error).map(io -> "storage: " + kind(io) + " (storage directory " + storageDir + "; " + detail(io)
        + ")");
  }

  /** Just what went wrong ("the disk is full"), without paths: for answers to HTTP clients. */
  public static Optional<String> reason(Throwable error) {
    return find(error).map(StorageFailure::kind);
  }

  /** The first storage failure in the cause chain. */
  private static Optional<IOException> find(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException io && kind(io) != null) {
        return Optional.of(io);
      }
    }
    return Optional.empty();
  }

  private static String kind(IOException e) {
    String m = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
    String msg = m == null ? "" : m.toLowerCase(Locale.ROOT);
    if (msg.contains("no space left on device") || msg.contains("disk quota exceeded")) {
      return "the disk is full";
    }
    if (msg.contains("read-only file system")) {
      return "the file system is read-only";
    }
    if (e instanceof AccessDeniedException || msg.contains("permission denied")) {
      return "the directory is not writable";
    }
    return null;
  }

  private static String detail(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
