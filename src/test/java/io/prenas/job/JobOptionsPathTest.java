package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data paths at run time: a link planted after the submit fails the job instead of being followed or retried. */
class JobOptionsPathTest {

  @TempDir
  Path tmp;

  private static JobOptions withData(String path) {
    return new JobOptions(path, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  @Test
  void aFolderInsideTheDataDirectoryIsResolved() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("data"));
    Files.createDirectories(root.resolve("real/set"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    assertThat(withData("real/set").dataDirForRun(root)).isEqualTo(root.resolve("real/set"));
    // A link that stays inside the data directory is fine.
    assertThat(withData("alias/set").dataDirForRun(root)).isEqualTo(root.resolve("alias/set"));
    assertThat(withData("not-yet").dataDirForRun(root)).isEqualTo(root.resolve("not-yet"));
  }

  @Test
  void aLinkLeadingOutIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("data"));
    Path outside = Files.createDirectories(tmp.resolve("secret"));
    JobOptions o = withData("planted/sub");
    assertThat(o.dataDirForRun(root)).isEqualTo(root.resolve("planted/sub"));
    Files.createSymbolicLink(root.resolve("planted"), outside);
    assertThatThrownBy(() -> o.dataDirUnder(root)).isInstanceOfSatisfying(JobOptionException.class,
        e -> assertThat(e.field()).isEqualTo("options.dataPath"));
    assertThatThrownBy(() -> o.dataDirForRun(root)).isInstanceOf(JobFailedException.class)
        .hasMessageContaining("options.dataPath");
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("gone"));
    assertThatThrownBy(() -> withData("dangling").dataDirForRun(root)).isInstanceOf(JobFailedException.class);
  }
}
