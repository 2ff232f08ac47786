package io.prenas.cnn.space;

import io.prenas.space.SpaceException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical id of a CNN architecture (spec §3) and its inverse:
 * {@code r<resolution>-s<stem>-<w_1>k<kernels_1>-...-<w_S>k<kernels_S>-h<head>}, the kernels of a stage written as
 * one digit per layer, so the depth is the number of digits.
 */
public final class CnnArchitectureId {

  private static final Pattern STAGE = Pattern.compile("([1-9][0-9]*)k([13579]+)");
  private static final Pattern PREFIXED = Pattern.compile("[1-9][0-9]*");

  private CnnArchitectureId() {}

  static String write(CnnArchitecture arch) {
    StringBuilder id = new StringBuilder().append('r').append(arch.resolution()).append("-s").append(arch.stem());
    for (StageConfig stage : arch.stages()) {
      id.append('-').append(stage.width()).append('k');
      stage.kernels().forEach(id::append);
    }
    return id.append("-h").append(arch.head()).toString();
  }

  /**
   * Parses an id. The result is well-formed; whether it belongs to a space is {@code CnnSpace.validate}'s question.
   *
   * @throws SpaceException with key {@code id} when the text is not a CNN id
   */
  public static CnnArchitecture parse(String id) {
    String[] parts = id.split("-", -1);
    if (parts.length < 4) {
      throw new SpaceException("id", "'" + id + "' is not a CNN architecture id (r<res>-s<stem>-<w>k<kernels>-...-h<head>)");
    }
    int resolution = prefixed(parts[0], 'r', id);
    int stem = prefixed(parts[1], 's', id);
    int head = prefixed(parts[parts.length - 1], 'h', id);
    List<StageConfig> stages = new ArrayList<>();
    for (int i = 2; i < parts.length - 1; i++) {
      Matcher m = STAGE.matcher(parts[i]);
      if (!m.matches()) {
        throw new SpaceException("id", "stage " + (i - 2) + " of '" + id + "' is '" + parts[i]
            + "', expected <width>k<one odd kernel digit per layer>");
      }
      List<Integer> kernels = m.group(2).chars().map(c -> c - '0').boxed().toList();
      stages.add(new StageConfig(number(m.group(1), id), kernels.size(), kernels));
    }
    return new CnnArchitecture(resolution, stem, stages, head);
  }

  private static int prefixed(String part, char prefix, String id) {
    if (part.isEmpty() || part.charAt(0) != prefix || !PREFIXED.matcher(part.substring(1)).matches()) {
      throw new SpaceException("id", "'" + id + "' has '" + part + "' where " + prefix + "<positive integer> belongs");
    }
    return number(part.substring(1), id);
  }

  private static int number(String digits, String id) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new SpaceException("id", "'" + id + "' has a number out of range: " + digits);
    }
  }
}
