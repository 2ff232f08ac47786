package io.prenas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --grads} options of {@code select}: one plain file (a ViT space, or a CNN space with one resolution), or
 * one {@code R=FILE} per input resolution (a CNN space, spec cnn-space §8: one gradient pass per resolution).
 */
record GradientFiles(Path single, Map<Integer, Path> perResolution) {

  /**
   * Parses the repeated option.
   *
   * @throws CliException for a malformed resolution, a resolution given twice, several plain files, or plain files
   *     mixed with {@code R=FILE}
   */
  static GradientFiles parse(List<String> values) {
    Path single = null;
    Map<Integer, Path> byResolution = new TreeMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq < 0) {
        if (single != null) {
          throw new CliException("--grads: give one file, or one R=FILE per resolution (got two plain files)");
        }
        single = Path.of(value);
        continue;
      }
      String r = value.substring(0, eq).trim();
      String file = value.substring(eq + 1);
      int resolution;
      try {
        resolution = Integer.parseInt(r);
      } catch (NumberFormatException e) {
        resolution = -1;
      }
      if (resolution <= 0 || !r.matches("[0-9]+")) {
        throw new CliException("--grads '" + value + "': the resolution before '=' must be a positive integer "
            + "(e.g. --grads 224=grads224.safetensors)");
      }
      if (file.isEmpty()) {
        throw new CliException("--grads '" + value + "': no file after '='");
      }
      if (byResolution.put(resolution, Path.of(file)) != null) {
        throw new CliException("--grads: resolution " + resolution + " is given twice");
      }
    }
    if (single != null && !byResolution.isEmpty()) {
      throw new CliException("--grads: give either one plain file or R=FILE for every resolution, not both");
    }
    return new GradientFiles(single, byResolution);
  }
}
