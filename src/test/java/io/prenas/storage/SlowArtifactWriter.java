package io.prenas.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A process that writes an endless artifact slowly into a store ({@code args[0]}), for a test to kill mid-write.
 */
public final class SlowArtifactWriter {

  private SlowArtifactWriter() {}

  public static void main(String[] args) throws IOException {
    ArtifactFiles files = new ArtifactFiles(Path.of(args[0]));
    InputStream endless = new InputStream() {
      private long n;

      @Override
      public int read() {
        return (int) (n++ & 0xff);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < len; i++) {
          b[off + i] = (byte) (n++ & 0xff);
        }
        return len;
      }
    };
    files.write(endless, Long.MAX_VALUE);
  }
}
