package io.prenas.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while writing an artifact leaves no file under any hash, only an invisible temporary
 * file, which the next store to open the directory removes once it is old enough to belong to no live writer.
 */
class ArtifactCrashTest {

  @TempDir
  Path root;

  @Test
  void aWriterKilledMidWriteLeavesNothingVisible() throws Exception {
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SlowArtifactWriter.class.getName(), root.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Path temp;
    try {
      temp = awaitPartialWrite(1 << 20, Duration.ofSeconds(60));
    } finally {
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.size(temp)).as("the bytes written before the kill").isGreaterThanOrEqualTo(1 << 20);
    assertThat(visibleFiles()).as("nothing under a hash").isEmpty();

    // A temporary file as young as a live writer's stays; an abandoned one goes when a store opens the directory.
    new ArtifactFiles(root);
    assertThat(temp).exists();
    Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(ArtifactFiles.ABANDONED_AFTER)
        .minusSeconds(60)));
    ArtifactFiles reopened = new ArtifactFiles(root);
    assertThat(temp).doesNotExist();
    assertThat(visibleFiles()).isEmpty();

    // The store works as before.
    ArtifactFiles.Written w = reopened.write(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
    assertThat(reopened.find(w.sha256())).isPresent();
  }

  private Path awaitPartialWrite(long bytes, Duration timeout) throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (Files.isDirectory(root.resolve(".incoming"))) {
        try (Stream<Path> s = Files.list(root.resolve(".incoming"))) {
          for (Path p : s.toList()) {
            if (Files.size(p) >= bytes) {
              return p;
            }
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the writer wrote nothing in " + timeout);
  }

  private List<Path> visibleFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(p -> !root.relativize(p).startsWith(".incoming")).toList();
    }
  }
}
