package io.prenas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a folder holds images in a layout {@link DataSplit} reads, found cheaply: file names only, no image or IDX
 * array is read, and an ImageFolder walk stops at its first image. Used to refuse a job before it is queued; what
 * the files hold is still checked when the job reads them.
 */
public final class DataLayout {

  private DataLayout() {}

  /**
   * A one-line description of the layout of {@code location} ({@code IDX}, {@code ImageFolder with train/ and
   * val/}, ...), in the order {@link DataSplit#open} tries them.
   *
   * @throws DataException naming what is missing: not a folder, no IDX pair, no class folder, no image file
   */
  public static String describe(Path location) throws IOException {
    if (!Files.isDirectory(location)) {
      throw new DataException(Files.exists(location) ? "expected a folder (IDX files or an ImageFolder), found a file"
          : "no such folder");
    }
    if (IdxImageSource.imagesFile(location, "train") != null && IdxImageSource.labelsFile(location, "train") != null) {
      return "IDX (train-images / train-labels)";
    }
    Path train = location.resolve("train");
    if (Files.isDirectory(train)) {
      requireImageFolder(train, "train/");
      for (String name : List.of("val", "validation", "test")) {
        Path validation = location.resolve(name);
        if (Files.isDirectory(validation)) {
          requireImageFolder(validation, name + "/");
          return "ImageFolder (train/ and " + name + "/)";
        }
      }
      return "ImageFolder (train/)";
    }
    requireImageFolder(location, "the folder");
    return "ImageFolder";
  }

  /** What {@link ImageFolderSource#open} needs: a class sub-folder and an image file in one of them. */
  private static void requireImageFolder(Path root, String what) throws IOException {
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
    if (classDirs.isEmpty()) {
      throw new DataException(what + " has neither IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte) nor "
          + "class folders of images (an ImageFolder)");
    }
    for (Path dir : classDirs) {
      if (firstImage(dir).isPresent()) {
        return;
      }
    }
    throw new DataException(what + ": no image files (" + String.join(", ", ImageFolderSource.EXTENSIONS.stream()
        .sorted().toList()) + ") in its " + classDirs.size() + " class folders");
  }

  private static Optional<Path> firstImage(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).findFirst();
    }
  }
}
