package io.prenas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Training and validation images opened from one location. Accepted layouts:
 * <ul>
 *   <li>a folder with IDX files {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]} and
 *       optionally {@code t10k-*} (the MNIST / Fashion-MNIST layout; t10k is the validation set);</li>
 *   <li>an ImageFolder with {@code train/} and {@code val/} (or {@code validation/}, {@code test/}) sub-folders;</li>
 *   <li>a plain ImageFolder (class sub-folders).</li>
 * </ul>
 * When no validation set exists, {@code validationFraction} of the images (per class, seeded) is held out.
 */
public record DataSplit(ImageSource train, ImageSource validation, String description) {

  /** The share of unsplit data a training (and its evaluation) holds out for validation. */
  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

  public static DataSplit open(Path location, double validationFraction, long seed) throws IOException {
    Layout layout = layout(location);
    return layout.validation != null ? new DataSplit(layout.train, layout.validation, layout.description)
        : holdOut(layout.train, validationFraction, seed, layout.description);
  }

  /**
   * The images to evaluate a supernet trained elsewhere on: the validation part when the data has one
   * ({@code t10k}, {@code val/}), else every image. A training here holds out a share of unsplit data because it
   * trains on the rest; weights made elsewhere never saw these images, so an ImageNet validation folder given as a
   * plain ImageFolder is evaluated whole, as the reference evaluates it.
   */
  public static ImageSource validationOrAll(Path location) throws IOException {
    Layout layout = layout(location);
    return layout.validation != null ? layout.validation : layout.train;
  }

  /**
   * What a published model's card says about the data it was evaluated on ({@link DatasetSummary}): the layout,
   * class names, images per split as an evaluation splits them, and the fingerprint of the files read.
   *
   * @param validationFraction the share held out when the data has no validation part
   * @param seed the seed of that hold-out
   * @param wholeWhenUnsplit as {@link #validationOrAll}: data without a validation part is evaluated whole
   */
  public static DatasetSummary summary(Path location, double validationFraction, long seed, boolean wholeWhenUnsplit)
      throws IOException {
    Layout layout = layout(location);
    java.util.Map<String, Long> images = new java.util.LinkedHashMap<>();
    String validation;
    if (layout.validation != null) {
      images.put("train", (long) layout.train.size());
      images.put("validation", (long) layout.validation.size());
      validation = layout.validationFrom;
    } else if (wholeWhenUnsplit) {
      images.put("validation", (long) layout.train.size());
      validation = "every image (no validation part; the weights were trained elsewhere)";
    } else {
      DataSplit split = holdOut(layout.train, validationFraction, seed, layout.description);
      images.put("train", (long) split.train().size());
      images.put("validation", (long) split.validation().size());
      validation = Math.round(validationFraction * 100) + "% of each class held out (seed " + seed + ")";
    }
    DatasetFingerprint fingerprint = DatasetFingerprint.of(location, layout.files);
    return new DatasetSummary(layout.format, layout.train.classNames(), images, validation, fingerprint.sha256(),
        fingerprint.files(), layout.train.nativeSizes());
  }

  /**
   * The images of a location: its training (or only) images and its validation set when it has one, the layout's
   * name ({@code idx}, {@code image-folder}), where the validation part comes from, and every file read.
   */
  private record Layout(ImageSource train, ImageSource validation, String description, String format,
      String validationFrom, List<Path> files) {}

  private static Layout layout(Path location) throws IOException {
    if (!Files.exists(location)) {
      throw new DataException(location + ": no such file or directory");
    }
    if (!Files.isDirectory(location)) {
      throw new DataException(location + ": expected a folder (IDX files or an ImageFolder)");
    }
    if (IdxImageSource.imagesFile(location, "train") != null) {
      IdxLabelNames.Names names = IdxLabelNames.of(location);
      IdxImageSource idxTrain = IdxImageSource.find(location, "train", names == null ? null : names.names());
      if (idxTrain != null) {
        if (names != null && names.explicit() && !idxTrain.classNames().equals(names.names())) {
          throw new DataException(location.resolve(IdxLabelNames.FILE) + ": " + names.names().size()
              + " class names for labels 0.." + (idxTrain.numClasses() - 1) + " of the data");
        }
        IdxImageSource idxVal = IdxImageSource.find(location, "t10k", idxTrain.classNames());
        List<Path> files = new ArrayList<>(idxTrain.files());
        if (idxVal != null) {
          files.addAll(idxVal.files());
        }
        return idxVal != null
            ? new Layout(idxTrain, idxVal, "IDX " + location + " (train / t10k)", "idx", "the t10k files", files)
            : new Layout(idxTrain, null, "IDX " + location, "idx", null, files);
      }
    }
    Path trainDir = location.resolve("train");
    if (Files.isDirectory(trainDir)) {
      for (String name : List.of("val", "validation", "test")) {
        Path valDir = location.resolve(name);
        if (Files.isDirectory(valDir)) {
          ImageFolderSource train = ImageFolderSource.open(trainDir);
          ImageFolderSource val = ImageFolderSource.open(valDir);
          List<Path> files = new ArrayList<>(train.files());
          files.addAll(val.files());
          return new Layout(train, val, "ImageFolder " + location + " (train / " + name + ")", "image-folder",
              "the " + name + "/ folder", files);
        }
      }
      ImageFolderSource train = ImageFolderSource.open(trainDir);
      return new Layout(train, null, "ImageFolder " + trainDir, "image-folder", null, train.files());
    }
    ImageFolderSource all = ImageFolderSource.open(location);
    return new Layout(all, null, "ImageFolder " + location, "image-folder", null, all.files());
  }

  /** Holds out a seeded, per-class fraction of the images for validation. */
  static DataSplit holdOut(ImageSource all, double fraction, long seed, String description) throws DataException {
    if (!(fraction > 0 && fraction < 1)) {
      throw new DataException("validation fraction must be in (0, 1), got " + fraction);
    }
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < all.numClasses(); c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      byClass.get(all.label(i)).add(i);
    }
    Random rng = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (List<Integer> members : byClass) {
      Collections.shuffle(members, rng);
      int nVal = (int) Math.round(members.size() * fraction);
      val.addAll(members.subList(0, nVal));
      train.addAll(members.subList(nVal, members.size()));
    }
    Collections.sort(train);
    Collections.sort(val);
    if (train.isEmpty() || val.isEmpty()) {
      throw new DataException(description + ": too few images (" + all.size() + ") for a validation split");
    }
    return new DataSplit(new SubsetSource(all, toArray(train)), new SubsetSource(all, toArray(val)),
        description + " (" + Math.round(fraction * 100) + "% held out for validation)");
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
