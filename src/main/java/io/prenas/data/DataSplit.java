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

  /** The images of a location: its training (or only) images and its validation set when it has one. */
  private record Layout(ImageSource train, ImageSource validation, String description) {}

  private static Layout layout(Path location) throws IOException {
    if (!Files.exists(location)) {
      throw new DataException(location + ": no such file or directory");
    }
    if (!Files.isDirectory(location)) {
      throw new DataException(location + ": expected a folder (IDX files or an ImageFolder)");
    }
    IdxImageSource idxTrain = IdxImageSource.find(location, "train", null);
    if (idxTrain != null) {
      IdxImageSource idxVal = IdxImageSource.find(location, "t10k", idxTrain.classNames());
      return idxVal != null
          ? new Layout(idxTrain, idxVal, "IDX " + location + " (train / t10k)")
          : new Layout(idxTrain, null, "IDX " + location);
    }
    Path trainDir = location.resolve("train");
    if (Files.isDirectory(trainDir)) {
      for (String name : List.of("val", "validation", "test")) {
        Path valDir = location.resolve(name);
        if (Files.isDirectory(valDir)) {
          return new Layout(ImageFolderSource.open(trainDir), ImageFolderSource.open(valDir),
              "ImageFolder " + location + " (train / " + name + ")");
        }
      }
      return new Layout(ImageFolderSource.open(trainDir), null, "ImageFolder " + trainDir);
    }
    return new Layout(ImageFolderSource.open(location), null, "ImageFolder " + location);
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
