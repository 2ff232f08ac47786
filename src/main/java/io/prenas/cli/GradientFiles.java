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
    return parse("--grads", values);
  }

  /** Parses a repeated {@code option} of the same form (also {@code select --batch R=FILE}). */
  static GradientFiles parse(String option, List<String> values) {
    Path single = null;
    Map<Integer, Path> byResolution = new TreeMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq < 0) {
        if (single != null) {
          throw new CliException(option + ": give one file, or one R=FILE per resolution (got two plain files)");
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
        throw new CliException(option + " '" + value + "': the resolution before '=' must be a positive integer "
            + "(e.g. " + option + " 224=file.safetensors)");
      }
      if (file.isEmpty()) {
        throw new CliException(option + " '" + value + "': no file after '='");
      }
      if (byResolution.put(resolution, Path.of(file)) != null) {
        throw new CliException(option + ": resolution " + resolution + " is given twice");
      }
    }
    if (single != null && !byResolution.isEmpty()) {
      throw new CliException(option + ": give either one plain file or R=FILE for every resolution, not both");
    }
    return new GradientFiles(single, byResolution);
  }
}
