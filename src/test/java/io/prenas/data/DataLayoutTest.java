package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cheap layout probe accepts what {@link DataSplit} reads and names what is missing otherwise. */
class DataLayoutTest {

  @TempDir
  Path dir;

  @Test
  void idxFilesAreFoundByName() throws Exception {
    Files.writeString(dir.resolve("train-images-idx3-ubyte.gz"), "x");
    Files.writeString(dir.resolve("train-labels-idx1-ubyte"), "x");
    assertThat(DataLayout.describe(dir)).startsWith("IDX");
  }

  @Test
  void imageFoldersPlainOrSplit() throws Exception {
    Files.createDirectories(dir.resolve("plain/cat/deep"));
    Files.writeString(dir.resolve("plain/cat/deep/1.JPG"), "x");
    assertThat(DataLayout.describe(dir.resolve("plain"))).isEqualTo("ImageFolder");

    Files.createDirectories(dir.resolve("split/train/cat"));
    Files.createDirectories(dir.resolve("split/val/cat"));
    Files.writeString(dir.resolve("split/train/cat/1.png"), "x");
    Files.writeString(dir.resolve("split/val/cat/1.png"), "x");
    assertThat(DataLayout.describe(dir.resolve("split"))).isEqualTo("ImageFolder (train/ and val/)");
  }

  @Test
  void whatCannotBeReadIsNamed() throws Exception {
    assertThatThrownBy(() -> DataLayout.describe(dir.resolve("missing"))).isInstanceOf(DataException.class)
        .hasMessage("no such folder");
    Files.writeString(dir.resolve("file.txt"), "x");
    assertThatThrownBy(() -> DataLayout.describe(dir.resolve("file.txt"))).hasMessageContaining("found a file");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> DataLayout.describe(dir.resolve("empty"))).hasMessageContaining("neither IDX files");
    Files.createDirectories(dir.resolve("texts/cat"));
    Files.writeString(dir.resolve("texts/cat/notes.txt"), "x");
    assertThatThrownBy(() -> DataLayout.describe(dir.resolve("texts"))).hasMessageContaining("no image files");
    Files.createDirectories(dir.resolve("halfsplit/train/cat"));
    Files.writeString(dir.resolve("halfsplit/train/cat/1.png"), "x");
    Files.createDirectories(dir.resolve("halfsplit/val"));
    assertThatThrownBy(() -> DataLayout.describe(dir.resolve("halfsplit"))).hasMessageContaining("val/");
  }
}
