package io.prenas.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFilesTest {

  @TempDir
  Path dir;

  @Test
  void storesByHashUnderTwoLevels() throws Exception {
    ArtifactFiles files = new ArtifactFiles(dir);
    byte[] data = "hello weights".getBytes(StandardCharsets.UTF_8);
    ArtifactFiles.Written w = files.write(new ByteArrayInputStream(data), 1000);

    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(w.sha256()).isEqualTo(sha);
    assertThat(w.size()).isEqualTo(data.length);
    assertThat(w.relativePath()).isEqualTo(sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha);
    assertThat(Files.readAllBytes(dir.resolve(w.relativePath()))).isEqualTo(data);
    assertThat(files.find(sha)).contains(dir.resolve(w.relativePath()));
    assertThat(listIncoming()).isEmpty();
  }

  @Test
  void equalContentIsStoredOnce() throws Exception {
    ArtifactFiles files = new ArtifactFiles(dir);
    ArtifactFiles.Written a = files.write(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
    ArtifactFiles.Written b = files.write(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
    assertThat(b.sha256()).isEqualTo(a.sha256());
    assertThat(a.alreadyPresent()).isFalse();
    assertThat(b.alreadyPresent()).isTrue();
    assertThat(storedFiles()).hasSize(1);
    assertThat(listIncoming()).isEmpty();
  }

  @Test
  void noPartialFileIsVisibleWhileWritingAndAFailedWriteLeavesNothing() throws Exception {
    ArtifactFiles files = new ArtifactFiles(dir);
    byte[] chunk = new byte[100_000];
    InputStream failing = new InputStream() {
      int served;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served >= 3) {
          // Mid-write: bytes are on disk in the temporary file, nothing is in the store's tree.
          try {
            assertThat(storedFiles()).isEmpty();
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          throw new IOException("connection reset by peer");
        }
        served++;
        int n = Math.min(len, chunk.length);
        System.arraycopy(chunk, 0, b, off, n);
        return n;
      }
    };
    assertThatThrownBy(() -> files.write(failing, Long.MAX_VALUE)).hasMessageContaining("connection reset");
    assertThat(storedFiles()).isEmpty();
    assertThat(listIncoming()).isEmpty();
  }

  @Test
  void tooLargeAndRejectedFilesLeaveNothing() throws Exception {
    ArtifactFiles files = new ArtifactFiles(dir);
    assertThatThrownBy(() -> files.write(new ByteArrayInputStream(new byte[11]), 10))
        .isInstanceOf(ArtifactTooLargeException.class);
    assertThatThrownBy(() -> files.write(new ByteArrayInputStream(new byte[5]), 10, f -> {
      assertThat(Files.size(f)).isEqualTo(5); // the check sees the complete file
      throw new IOException("not safetensors");
    })).hasMessage("not safetensors");
    assertThat(storedFiles()).isEmpty();
    assertThat(listIncoming()).isEmpty();
  }

  @Test
  void hashesThatCouldEscapeTheRootAreRefused() throws Exception {
    assertThatThrownBy(() -> ArtifactFiles.relativePath("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArtifactFiles.relativePath("AB" + "0".repeat(62)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ArtifactFiles.isSha256("0".repeat(64))).isTrue();
  }

  private List<Path> storedFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve(".incoming"))).toList();
    }
  }

  private List<Path> listIncoming() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve(".incoming"))) {
      return s.toList();
    }
  }
}
