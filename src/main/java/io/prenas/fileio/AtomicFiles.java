package io.prenas.fileio;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way this project writes a file that readers must never see half-written: the bytes go to a temporary file
 * first, which is renamed over the target once complete. A reader (or a process that dies mid-write) sees either
 * the old file or the new one, never a torn one.
 *
 * <p>{@link #write} covers the usual case, a temporary file beside a known target. {@link #begin} is for writers
 * whose target is only known once the bytes are written (content-addressed storage names a file by its hash).
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Whether the bytes are forced to the device before the rename, so that a crash cannot expose an empty file. */
  public enum Sync {
    /** {@code fsync} before the rename: for files that must survive a power cut once written (tensors, artifacts). */
    DURABLE,
    /** Rename only: enough against torn reads by other processes, cheaper for small derived files. */
    NONE
  }

  /** Writes the content of a file to a stream (the stream is closed by {@link AtomicFiles}, not by the writer). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically: a temporary {@code .<name>*.tmp} beside it, then a rename over it (replacing
   * an existing file). Parent folders are created. The temporary file is removed when anything fails.
   */
  public static void write(Path target, Sync sync, Content content) throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    Files.createDirectories(dir);
    try (Pending pending = begin(dir, "." + file.getFileName(), sync)) {
      pending.write(content);
      pending.moveTo(file, true);
    }
  }

  /** A UTF-8 text file, written atomically (see {@link #write(Path, Sync, Content)}). */
  public static void writeString(Path target, Sync sync, String text) throws IOException {
    write(target, sync, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Starts a temporary file {@code <prefix>*.tmp} in {@code dir} (which must exist). Close the result in any case:
   * closing deletes the temporary file unless it was moved into place.
   */
  public static Pending begin(Path dir, String prefix, Sync sync) throws IOException {
    return new Pending(Files.createTempFile(dir, prefix, ".tmp"), sync);
  }

  /** A temporary file on its way to its target. */
  public static final class Pending implements AutoCloseable {
    private final Path temp;
    private final Sync sync;
    private boolean moved;

    private Pending(Path temp, Sync sync) {
      this.temp = temp;
      this.sync = sync;
    }

    /** The temporary file (to check it before it becomes visible). */
    public Path path() {
      return temp;
    }

    /** Writes the whole content (replacing whatever was written before), forced to the device when durable. */
    public void write(Content content) throws IOException {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = new KeepOpen(Channels.newOutputStream(channel));
        content.writeTo(out);
        out.flush();
        if (sync == Sync.DURABLE) {
          channel.force(true);
        }
      }
    }

    /**
     * Renames the temporary file to {@code target} in one step. Without {@code replace}, an existing target may
     * make this throw {@link java.nio.file.FileAlreadyExistsException} (platform dependent; content-addressed
     * callers treat it as "already stored"). With {@code replace}, a file system that cannot rename atomically
     * falls back to a plain replacing move; without it, {@link AtomicMoveNotSupportedException} is thrown.
     */
    public void moveTo(Path target, boolean replace) throws IOException {
      if (replace) {
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      moved = true;
      if (sync == Sync.DURABLE) {
        forceDirectory(target.toAbsolutePath().getParent());
      }
    }

    @Override
    public void close() throws IOException {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Makes a rename in {@code dir} durable where the platform allows syncing a directory. */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can sync a directory; the rename is still atomic.
    }
  }

  /** Lets writers that close their stream (Jackson does) leave the channel open for the fsync. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
