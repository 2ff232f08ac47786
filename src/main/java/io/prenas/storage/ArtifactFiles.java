package io.prenas.storage;

import io.prenas.fileio.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The content-addressed file tree under one directory: a file with SHA-256 {@code abcd…} lives at
 * {@code ab/cd/abcd…}. Writes are atomic: the bytes go to a temporary file under {@code .incoming/} (same file
 * system), are forced to disk, and the file is then renamed into place, so a reader sees a whole file or none; a write
 * that fails leaves nothing behind. Equal content is stored once. No database here: {@link ArtifactStore} adds the rows.
 */
public final class ArtifactFiles {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String INCOMING = ".incoming";

  private final Path root;

  /**
   * A temporary file untouched for this long belongs to a writer that died (a live one writes or renames within
   * seconds); younger ones may be another process's write in progress (api and workers share the directory).
   */
  static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  public ArtifactFiles(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root.resolve(INCOMING));
    removeAbandonedWrites();
  }

  /** Deletes temporary files left by a process killed mid-write; they were never visible under a hash. */
  private void removeAbandonedWrites() throws IOException {
    FileTime before = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(root.resolve(INCOMING), "write-*.tmp")) {
      for (Path t : temps) {
        try {
          if (Files.getLastModifiedTime(t).compareTo(before) < 0) {
            Files.deleteIfExists(t);
          }
        } catch (IOException e) {
          // gone already, or not ours to delete: it is invisible either way
        }
      }
    }
  }

  /** The result of a write: the hash, the size and the path relative to the root. */
  public record Written(String sha256, long size, String relativePath, boolean alreadyPresent) {}

  public Path root() {
    return root;
  }

  /** True for a lower-case hex SHA-256. */
  public static boolean isSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }

  /** Relative path of a hash ({@code ab/cd/<sha>}); the hash is checked so that no request picks the path. */
  public static String relativePath(String sha256) {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
  }

  /** The stored file of a hash, if present. */
  public Optional<Path> find(String sha256) {
    Path p = root.resolve(relativePath(sha256));
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Checks a complete file before it becomes visible; throwing rejects it (nothing is stored). */
  @FunctionalInterface
  public interface FileCheck {
    void check(Path file) throws IOException;
  }

  /**
   * Streams {@code in} into the store. At most {@code maxBytes} are accepted (a longer stream fails and leaves nothing).
   */
  public Written write(InputStream in, long maxBytes) throws IOException {
    return write(in, maxBytes, file -> { });
  }

  /** Like {@link #write(InputStream, long)}, running {@code check} on the complete temporary file first. */
  public Written write(InputStream in, long maxBytes, FileCheck check) throws IOException {
    try (AtomicFiles.Pending temp = AtomicFiles.begin(root.resolve(INCOMING), "write-", AtomicFiles.Sync.DURABLE)) {
      MessageDigest digest = sha256Digest();
      long[] size = {0};
      temp.write(out -> size[0] = copy(in, new DigestOutputStream(out, digest), maxBytes));
      check.check(temp.path());
      String sha = HexFormat.of().formatHex(digest.digest());
      String rel = relativePath(sha);
      Path target = root.resolve(rel);
      if (Files.isRegularFile(target) && Files.size(target) == size[0]) {
        return new Written(sha, size[0], rel, true);
      }
      Files.createDirectories(target.getParent());
      try {
        temp.moveTo(target, false); // never replaces: a file under a hash is final
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the storage directory " + root + " does not support atomic renames", e);
      } catch (FileAlreadyExistsException e) {
        return new Written(sha, size[0], rel, true); // written concurrently by another writer: same bytes
      }
      return new Written(sha, size[0], rel, false);
    }
  }

  /** Removes a stored file (used when its database row could not be written). */
  void delete(String sha256) throws IOException {
    Files.deleteIfExists(root.resolve(relativePath(sha256)));
  }

  private static long copy(InputStream in, OutputStream out, long maxBytes) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      if (total > maxBytes) {
        throw new ArtifactTooLargeException(maxBytes);
      }
      out.write(buf, 0, n);
    }
    return total;
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
