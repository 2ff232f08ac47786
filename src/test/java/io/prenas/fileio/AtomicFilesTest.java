package io.prenas.fileio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir
  Path dir;

  @Test
  void replacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("sub/out.txt");
    AtomicFiles.writeString(target, AtomicFiles.Sync.DURABLE, "first");
    AtomicFiles.writeString(target, AtomicFiles.Sync.NONE, "second");
    assertThat(Files.readString(target)).isEqualTo("second");
    assertThat(names(target.getParent())).containsExactly("out.txt");
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndRemovesItsTemporaryFile() throws Exception {
    Path target = dir.resolve("out.txt");
    AtomicFiles.writeString(target, AtomicFiles.Sync.NONE, "old");
    assertThatThrownBy(() -> AtomicFiles.write(target, AtomicFiles.Sync.DURABLE, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk gone");
    })).hasMessage("disk gone");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names(dir)).containsExactly("out.txt");
  }

  @Test
  void aWriterThatClosesItsStreamStillGetsItsBytesSynced() throws Exception {
    Path target = dir.resolve("closed.txt");
    AtomicFiles.write(target, AtomicFiles.Sync.DURABLE, out -> {
      try (OutputStream o = out) { // Jackson closes the stream it was given
        o.write(new byte[] {1, 2, 3});
      }
    });
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
  }

  @Test
  void aPendingFileThatIsNotMovedDisappearsOnClose() throws Exception {
    Path temp;
    try (AtomicFiles.Pending p = AtomicFiles.begin(dir, "write-", AtomicFiles.Sync.DURABLE)) {
      temp = p.path();
      p.write(out -> out.write(7));
      assertThat(temp.getFileName().toString()).startsWith("write-").endsWith(".tmp");
      assertThat(Files.size(temp)).isEqualTo(1);
    }
    assertThat(temp).doesNotExist();
  }

  private static java.util.List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
