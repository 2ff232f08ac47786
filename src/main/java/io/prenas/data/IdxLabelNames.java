package io.prenas.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The class names of an IDX folder, whose files carry label numbers only. In this order:
 * <ol>
 *   <li>a {@value #FILE} in the folder: one name per line, UTF-8, line i naming label i (blank lines at the end
 *       ignored); it must name every label of the data, else the data set is refused;</li>
 *   <li>a folder whose name contains {@code fashion} (any case, e.g. {@code fashion-mnist}): Fashion-MNIST's ten
 *       names;</li>
 *   <li>otherwise the label numbers {@code "0".."K-1"} (which are MNIST's names too).</li>
 * </ol>
 * MNIST and Fashion-MNIST use the same file names, so only the folder name (or an explicit file) tells them apart.
 */
final class IdxLabelNames {

  static final String FILE = "labels.txt";

  /** Zalando Research's names, in label order. */
  static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Names and where they come from. */
  record Names(List<String> names, boolean explicit) {}

  private IdxLabelNames() {}

  /** The names for an IDX folder, or null when the label numbers are its names. */
  static Names of(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
      int n = lines.size();
      while (n > 0 && lines.get(n - 1).isEmpty()) {
        n--;
      }
      List<String> names = lines.subList(0, n);
      if (names.isEmpty() || names.contains("")) {
        throw new DataException(file + ": expected one non-empty class name per line");
      }
      return new Names(List.copyOf(names), true);
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    if (name != null && name.toString().toLowerCase(Locale.ROOT).contains("fashion")) {
      return new Names(FASHION_MNIST, false);
    }
    return null;
  }
}
