package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model card says about its data and preprocessing: class names (ImageFolder folders, IDX names by
 * {@code labels.txt} or a Fashion-MNIST folder, else numbers), images per split as the evaluation splits them, the
 * fingerprint over relative names and sizes, and the evaluation transform written out.
 */
class DatasetSummaryTest {

  @TempDir
  Path tmp;

  @Test
  void fashionMnistFolderGetsItsNamesAndAFingerprintOfItsFourFiles() throws Exception {
    Path dir = tmp.resolve("Fashion-MNIST-small");
    writeIdx(dir, "train", 40);
    writeIdx(dir, "t10k", 20);
    Files.writeString(dir.resolve("README.md"), "not part of the data");

    DatasetSummary s = DataSplit.summary(dir, 0.1, 7, false);
    assertThat(s.format()).isEqualTo("idx");
    assertThat(s.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot");
    assertThat(s.images()).containsExactly(Map.entry("train", 40L), Map.entry("validation", 20L));
    assertThat(s.validation()).isEqualTo("the t10k files");
    assertThat(s.fingerprintFiles()).isEqualTo(4);
    // the definition, spelled out: sorted "<relative name>\t<size>\n" lines, SHA-256 of their UTF-8 bytes
    String lines = "t10k-images-idx3-ubyte\t" + (16 + 20 * 4) + "\n" + "t10k-labels-idx1-ubyte\t" + (8 + 20) + "\n"
        + "train-images-idx3-ubyte\t" + (16 + 40 * 4) + "\n" + "train-labels-idx1-ubyte\t" + (8 + 40) + "\n";
    assertThat(s.fingerprint()).isEqualTo(sha256(lines));

    // the same files elsewhere: the same fingerprint (relative names); one byte more: another one
    Path copy = tmp.resolve("elsewhere/fashion");
    writeIdx(copy, "train", 40);
    writeIdx(copy, "t10k", 20);
    assertThat(DataSplit.summary(copy, 0.1, 7, false).fingerprint()).isEqualTo(s.fingerprint());
    writeIdx(copy, "t10k", 21);
    assertThat(DataSplit.summary(copy, 0.1, 7, false).fingerprint()).isNotEqualTo(s.fingerprint());
  }

  @Test
  void idxNamesComeFromLabelsTxtElseNumbers() throws Exception {
    Path plain = tmp.resolve("digits");
    writeIdx(plain, "train", 100);
    DatasetSummary s = DataSplit.summary(plain, 0.1, 7, false);
    assertThat(s.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(s.images()).containsExactly(Map.entry("train", 90L), Map.entry("validation", 10L));
    assertThat(s.validation()).isEqualTo("10% of each class held out (seed 7)");
    assertThat(DataSplit.summary(plain, 0.1, 7, true).images()).containsExactly(Map.entry("validation", 100L));

    Files.writeString(plain.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n\n");
    assertThat(DataSplit.summary(plain, 0.1, 7, false).classNames()).startsWith("zero", "one").hasSize(10);
    assertThat(DataSplit.open(plain, 0.1, 7).train().classNames()).as("training sees the same names")
        .startsWith("zero", "one");

    Files.writeString(plain.resolve("labels.txt"), "zero\none\n");
    assertThatThrownBy(() -> DataSplit.summary(plain, 0.1, 7, false)).isInstanceOf(DataException.class)
        .hasMessageContaining("labels.txt: 2 class names for labels 0..9");
  }

  @Test
  void imageFolderNamesSplitsAndPreprocessing() throws Exception {
    Path root = tmp.resolve("photos");
    writePng(root.resolve("train/cat/a.png"), 40, 30);
    writePng(root.resolve("train/cat/b.png"), 40, 30);
    writePng(root.resolve("train/dog/c.png"), 40, 30);
    writePng(root.resolve("val/cat/d.png"), 40, 30);
    writePng(root.resolve("val/dog/e.png"), 40, 30);
    Files.writeString(root.resolve("train/dog/notes.txt"), "ignored: not an image");

    DatasetSummary s = DataSplit.summary(root, 0.1, 0, false);
    assertThat(s.format()).isEqualTo("image-folder");
    assertThat(s.classNames()).containsExactly("cat", "dog");
    assertThat(s.images()).containsExactly(Map.entry("train", 3L), Map.entry("validation", 2L));
    assertThat(s.validation()).isEqualTo("the val/ folder");
    assertThat(s.fingerprintFiles()).isEqualTo(5);
    StringBuilder lines = new StringBuilder();
    for (String f : List.of("train/cat/a.png", "train/cat/b.png", "train/dog/c.png", "val/cat/d.png",
        "val/dog/e.png")) {
      lines.append(f).append('\t').append(Files.size(root.resolve(f))).append('\n');
    }
    assertThat(s.fingerprint()).isEqualTo(sha256(lines.toString()));

    // photographs at 224: the reference's evaluation preprocessing, as the evaluator applies it
    Preprocessing big = s.preprocessing(3, 224);
    assertThat(big.input()).containsExactly(3, 224, 224);
    assertThat(big.channelOrder()).isEqualTo("RGB");
    assertThat(big.resize()).isEqualTo(new Preprocessing.Resize("shorter-side", 256));
    assertThat(big.crop()).isEqualTo(new Preprocessing.Crop("center", 224));
    assertThat(big.interpolation()).isEqualTo("bicubic");
    assertThat(big.mean()).containsExactly(0.485, 0.456, 0.406);
    assertThat(big.std()).containsExactly(0.229, 0.224, 0.225);
    assertThat(big.valueRange()).containsExactly(0.0, 1.0);
    assertThat(big.description()).contains("Resize(256, InterpolationMode.BICUBIC)", "CenterCrop(224)");
    assertThat(TransformSpec.evaluation(3, 224).forSource(true).resize())
        .isEqualTo(TransformSpec.Resize.REFERENCE_EVAL);

    // small inputs: stretched bilinearly, no crop
    Preprocessing small = s.preprocessing(3, 64);
    assertThat(small.resize()).isEqualTo(new Preprocessing.Resize("stretch", 64));
    assertThat(small.crop()).isNull();
    assertThat(small.interpolation()).isEqualTo("bilinear");
  }

  @Test
  void greyIdxPreprocessingIsAStretchWithHalfMeanAndStd() {
    Preprocessing p = TransformSpec.evaluation(1, 28).forSource(false).preprocessing();
    assertThat(p.input()).containsExactly(1, 28, 28);
    assertThat(p.channelOrder()).isEqualTo("L");
    assertThat(p.mean()).containsExactly(0.5);
    assertThat(p.std()).containsExactly(0.5);
    assertThat(p.resize()).isEqualTo(new Preprocessing.Resize("stretch", 28));
    assertThatThrownBy(() -> TransformSpec.of(1, 28, true).preprocessing())
        .isInstanceOf(IllegalStateException.class);
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** n 2x2 images, labels i % 10. */
  private static void writeIdx(Path dir, String prefix, int n) throws Exception {
    Files.createDirectories(dir);
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
        + "-images-idx3-ubyte")))) {
      out.writeInt(0x803);
      out.writeInt(n);
      out.writeInt(2);
      out.writeInt(2);
      for (int i = 0; i < n * 4; i++) {
        out.write(i * 7);
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
        + "-labels-idx1-ubyte")))) {
      out.writeInt(0x801);
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.write(i % 10);
      }
    }
  }

  private static void writePng(Path file, int w, int h) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, file.toString().hashCode() & 0xffffff);
    ImageIO.write(img, "png", file.toFile());
  }
}
