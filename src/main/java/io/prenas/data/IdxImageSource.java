package io.prenas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Images and labels from a pair of IDX files (MNIST, Fashion-MNIST), kept in memory as bytes (60,000 28x28 images
 * are 47 MB). Labels are 0..max; class names are the label numbers unless the caller gives names.
 */
final class IdxImageSource implements ImageSource {

  private final Path imagesFile;
  private final Path labelsFile;
  private final int rows;
  private final int cols;
  private final byte[] pixels;
  private final byte[] labels;
  private final List<String> classNames;

  private IdxImageSource(Path imagesFile, Path labelsFile, IdxReader.IdxArray images, IdxReader.IdxArray labels,
      List<String> names) {
    this.imagesFile = imagesFile;
    this.labelsFile = labelsFile;
    this.rows = images.dims()[1];
    this.cols = images.dims()[2];
    this.pixels = images.data();
    this.labels = labels.data();
    this.classNames = names;
  }

  static IdxImageSource open(Path images, Path labelsFile, List<String> classNames) throws IOException {
    IdxReader.IdxArray img = IdxReader.read(images);
    IdxReader.IdxArray lab = IdxReader.read(labelsFile);
    if (img.dims().length != 3) {
      throw new DataException(images + ": expected a 3-D IDX image array (count x rows x cols), got rank "
          + img.dims().length);
    }
    if (lab.dims().length != 1 || lab.count() != img.count()) {
      throw new DataException(labelsFile + ": " + lab.count() + " labels for " + img.count() + " images in " + images);
    }
    int maxLabel = 0;
    for (byte b : lab.data()) {
      maxLabel = Math.max(maxLabel, b & 0xff);
    }
    List<String> names = classNames;
    if (names == null || names.size() <= maxLabel) {
      names = IntStream.rangeClosed(0, maxLabel).mapToObj(Integer::toString).toList();
    }
    return new IdxImageSource(images, labelsFile, img, lab, names);
  }

  /**
   * Finds {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} in a folder
   * (prefix {@code train} or {@code t10k}); null when absent.
   */
  static IdxImageSource find(Path dir, String prefix, List<String> classNames) throws IOException {
    Path images = imagesFile(dir, prefix);
    Path labelsFile = labelsFile(dir, prefix);
    if (images == null || labelsFile == null) {
      return null;
    }
    return open(images, labelsFile, classNames);
  }

  /** The {@code <prefix>} images file of a folder, or null. */
  static Path imagesFile(Path dir, String prefix) {
    return firstExisting(dir, prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte");
  }

  /** The {@code <prefix>} labels file of a folder, or null. */
  static Path labelsFile(Path dir, String prefix) {
    return firstExisting(dir, prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte");
  }

  private static Path firstExisting(Path dir, String... names) {
    List<Path> candidates = new ArrayList<>();
    for (String n : names) {
      candidates.add(dir.resolve(n));
      candidates.add(dir.resolve(n + ".gz"));
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /** The two files the images and labels are read from. */
  List<Path> files() {
    return List.of(imagesFile, labelsFile);
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int label(int index) {
    return labels[index] & 0xff;
  }

  @Override
  public Image image(int index) {
    int n = rows * cols;
    float[] out = new float[n];
    int base = index * n;
    for (int i = 0; i < n; i++) {
      out[i] = (pixels[base + i] & 0xff) / 255f;
    }
    return new Image(1, rows, cols, out);
  }

  @Override
  public String describe(int index) {
    return imagesFile + "#" + index;
  }
}
