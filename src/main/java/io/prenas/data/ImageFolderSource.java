package io.prenas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An ImageFolder directory: one sub-folder per class (sorted by name, index = label), image files (JPEG, PNG,
 * BMP, GIF) anywhere below it. Images are decoded on demand, so a large folder costs only its file list.
 */
final class ImageFolderSource implements ImageSource {

  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private final List<String> classNames;
  private final List<Path> files;
  private final int[] labels;

  private ImageFolderSource(List<String> classNames, List<Path> files, int[] labels) {
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
  }

  static ImageFolderSource open(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new DataException(root + ": not a directory");
    }
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    if (classDirs.isEmpty()) {
      throw new DataException(root + ": no class folders (expected one sub-folder of images per class)");
    }
    List<String> names = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      int label = names.size();
      names.add(dir.getFileName().toString());
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path f : s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList()) {
          files.add(f);
          labels.add(label);
        }
      }
    }
    if (files.isEmpty()) {
      throw new DataException(root + ": no image files (" + String.join(", ", EXTENSIONS) + ") in its class folders");
    }
    return new ImageFolderSource(List.copyOf(names), List.copyOf(files),
        labels.stream().mapToInt(Integer::intValue).toArray());
  }

  static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The image files, in label order. */
  List<Path> files() {
    return files;
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  @Override
  public Image image(int index) throws IOException {
    return ImageDecoder.decode(files.get(index));
  }

  /** Photos come in their own sizes: evaluation at 224 and above resizes them the reference's way. */
  @Override
  public boolean nativeSizes() {
    return true;
  }

  @Override
  public String describe(int index) {
    return files.get(index).toString();
  }
}
