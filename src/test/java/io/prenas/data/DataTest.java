package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

  @TempDir
  Path tmp;

  /** Writes an IDX pair of {@code n} 4x4 images whose pixels all equal the image index, labels = index % 3. */
  private void writeIdx(Path dir, String prefix, int n, boolean gzip) throws IOException {
    Files.createDirectories(dir);
    String ext = gzip ? ".gz" : "";
    try (DataOutputStream out = new DataOutputStream(open(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip))) {
      out.writeInt(0x00000803);
      out.writeInt(n);
      out.writeInt(4);
      out.writeInt(4);
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < 16; p++) {
          out.writeByte(i * 10);
        }
      }
    }
    try (DataOutputStream out = new DataOutputStream(open(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzip))) {
      out.writeInt(0x00000801);
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.writeByte(i % 3);
      }
    }
  }

  private static OutputStream open(Path p, boolean gzip) throws IOException {
    OutputStream o = Files.newOutputStream(p);
    return gzip ? new GZIPOutputStream(o) : o;
  }

  @Test
  void idxFolderWithTestSetUsesItForValidation() throws Exception {
    writeIdx(tmp, "train", 12, true);
    writeIdx(tmp, "t10k", 6, false);
    DataSplit split = DataSplit.open(tmp, 0.1, 0);
    assertThat(split.train().size()).isEqualTo(12);
    assertThat(split.validation().size()).isEqualTo(6);
    assertThat(split.train().classNames()).containsExactly("0", "1", "2");
    assertThat(split.train().label(5)).isEqualTo(2);
    Image img = split.train().image(3);
    assertThat(img.channels()).isEqualTo(1);
    assertThat(img.pixels()[0]).isEqualTo(30 / 255f);
  }

  @Test
  void idxWithoutTestSetHoldsOutAStratifiedSeededFraction() throws Exception {
    writeIdx(tmp, "train", 30, false);
    DataSplit a = DataSplit.open(tmp, 0.2, 7);
    DataSplit b = DataSplit.open(tmp, 0.2, 7);
    assertThat(a.validation().size()).isEqualTo(6);
    assertThat(a.train().size()).isEqualTo(24);
    List<Integer> labelsA = new ArrayList<>();
    List<Integer> labelsB = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      labelsA.add(a.validation().label(i));
      labelsB.add(b.validation().label(i));
    }
    assertThat(labelsA).isEqualTo(labelsB);
    assertThat(labelsA).containsOnly(0, 1, 2).filteredOn(l -> l == 0).hasSize(2);
  }

  @Test
  void truncatedIdxIsAClearError() throws Exception {
    Path dir = tmp.resolve("bad");
    Files.createDirectories(dir);
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
      out.writeInt(0x00000803);
      out.writeInt(100);
      out.writeInt(28);
      out.writeInt(28);
      out.write(new byte[50]);
    }
    Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 100});
    assertThatThrownBy(() -> DataSplit.open(dir, 0.1, 0)).isInstanceOf(DataException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void imageFolderDecodesPngAndJpegAndReportsCorruptFilesByPath() throws Exception {
    Path root = tmp.resolve("folder");
    for (String cls : List.of("cat", "dog")) {
      Files.createDirectories(root.resolve(cls));
      for (int i = 0; i < 5; i++) {
        BufferedImage img = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", root.resolve(cls).resolve(i + (i % 2 == 0 ? ".png" : ".jpg")).toFile());
      }
    }
    Path broken = root.resolve("dog").resolve("broken.png");
    Files.writeString(broken, "this is not a png");
    DataSplit split = DataSplit.open(root, 0.2, 1);
    assertThat(split.train().classNames()).containsExactly("cat", "dog");
    assertThat(split.train().size() + split.validation().size()).isEqualTo(11);

    ImageSource all = ImageFolderSource.open(root);
    TransformSpec spec = TransformSpec.of(3, 16, false);
    try (BatchLoader loader = new BatchLoader(all, BatchLoader.sequential(all.size()), 4, spec, 0, 2, 0)) {
      int images = 0;
      while (loader.hasNext()) {
        Batch b = loader.next();
        images += b.count();
        assertThat(b.x()).hasSize(b.count() * 3 * 16 * 16);
      }
      assertThat(images).isEqualTo(10);
      assertThat(loader.corrupt()).singleElement().asString().contains(broken.toString());
    }
  }

  @Test
  void greyBecomesRgbAndNormalisationIsApplied() {
    Image grey = new Image(1, 2, 2, new float[] {0.485f, 0.485f, 0.485f, 0.485f});
    TransformSpec spec = TransformSpec.of(3, 2, false);
    float[] out = new float[12];
    spec.apply(grey, new java.util.Random(0), out, 0);
    assertThat(out[0]).isEqualTo(0f);
    assertThat(out[4]).isCloseTo((0.485f - 0.456f) / 0.224f, org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void augmentationDoesNotDependOnThreadCount() throws Exception {
    writeIdx(tmp, "train", 20, false);
    ImageSource src = DataSplit.open(tmp, 0.25, 0).train();
    TransformSpec spec = TransformSpec.of(1, 8, true);
    int[] order = BatchLoader.shuffled(src.size(), 3, 1);
    List<float[]> one = new ArrayList<>();
    List<float[]> two = new ArrayList<>();
    try (BatchLoader a = new BatchLoader(src, order, 5, spec, 9, 1, 0);
        BatchLoader b = new BatchLoader(src, order, 5, spec, 9, 2, 0)) {
      a.forEachRemaining(x -> one.add(x.x()));
      b.forEachRemaining(x -> two.add(x.x()));
    }
    assertThat(one).hasSameSizeAs(two);
    for (int i = 0; i < one.size(); i++) {
      assertThat(one.get(i)).containsExactly(two.get(i));
    }
  }

  @Test
  void fashionMnistFromTheDebianPackageLoadsWhenInstalled() throws Exception {
    Path dir = Path.of("/usr/share/datasets/fashion-mnist");
    assumeThat(Files.isDirectory(dir)).as("dataset-fashion-mnist installed").isTrue();
    DataSplit split = DataSplit.open(dir, 0.1, 0);
    assertThat(split.train().size()).isEqualTo(60_000);
    assertThat(split.validation().size()).isEqualTo(10_000);
    assertThat(split.train().numClasses()).isEqualTo(10);
  }
}
