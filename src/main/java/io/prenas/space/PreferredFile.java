package io.prenas.space;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a preferred-architecture file of the reference ({@code interval_cands/*.json}, also what {@code select}
 * writes) into the rows of a preferred table, checking each entry against a space: its config is read and validated
 * by the space, its parameters are recounted and must equal the file's {@code num_params}.
 *
 * <p>The format: an object whose keys are the bins' upper bounds ({@code "6.0"}), each a list of entries; an entry is
 * the family's architecture config plus {@code num_params} (in millions, as the reference writes
 * {@code params / 1e6}) and {@code score}. {@code select}'s extra members are accepted; only {@code bin_lower} is
 * used. The reference does not write the bins' lower bounds: they are taken as the upper bound minus the narrowest
 * distance between two consecutive keys (its bins have one width and only empty ones are left out), or 0 for a file
 * of one bin.
 */
public final class PreferredFile {

  /** Longest bin key a table stores. */
  static final int MAX_BIN_KEY = 32;

  /**
   * One entry as a row of a preferred table.
   *
   * @param rank the entry's position in its bin, from 1 (the file lists a bin's entries best first)
   * @param params the parameters recounted by the space, equal to the file's {@code num_params}
   */
  public record Entry(String binKey, double binLower, double binUpper, int rank, Architecture architecture,
      long params, double flops, double score) {}

  private PreferredFile() {}

  /**
   * The entries of a parsed file, bins in file order.
   *
   * @throws PreferredFileException naming the bin, the entry and the member at fault
   */
  public static List<Entry> read(JsonNode file, SearchSpace space) {
    if (file == null || !file.isObject()) {
      throw new PreferredFileException(null, null, null, "expected a JSON object of bins (bin upper bound -> list "
          + "of architectures), got " + ConfigTree.describe(file));
    }
    if (file.isEmpty()) {
      throw new PreferredFileException(null, null, null, "the file holds no bin");
    }
    List<Map.Entry<String, Double>> bins = new ArrayList<>();
    for (Iterator<String> keys = file.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      bins.add(Map.entry(key, binUpper(key)));
    }
    double width = narrowestGap(bins);
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Double> bin : bins) {
      JsonNode list = file.get(bin.getKey());
      if (!list.isArray() || list.isEmpty()) {
        throw new PreferredFileException(bin.getKey(), null, null, "expected a non-empty list of architectures, got "
            + ConfigTree.describe(list));
      }
      double defaultLower = Double.isNaN(width) ? 0 : Math.max(0, bin.getValue() - width);
      for (int i = 0; i < list.size(); i++) {
        entries.add(entry(bin.getKey(), bin.getValue(), defaultLower, i, list.get(i), space));
      }
    }
    return entries;
  }

  private static Entry entry(String binKey, double binUpper, double defaultLower, int index, JsonNode node,
      SearchSpace space) {
    if (!node.isObject()) {
      throw new PreferredFileException(binKey, index, null, "expected an architecture object, got "
          + ConfigTree.describe(node));
    }
    Architecture arch;
    try {
      arch = space.readArchitecture(node);
      space.validate(arch);
    } catch (SpaceException e) {
      throw new PreferredFileException(binKey, index, e.key(), e.getMessage());
    }
    long params = space.params(arch);
    double numParams = number(node, "num_params", binKey, index);
    // The reference writes params / 1e6 as a Python float: any spelling that rounds back to the count is the same.
    if (!(Math.abs(numParams * 1e6 - params) <= 0.5)) {
      throw new PreferredFileException(binKey, index, "num_params", "num_params " + numParams + " M does not match "
          + arch.id() + ", which has " + params + " parameters (" + String.format(Locale.ROOT, "%.6f", params / 1e6)
          + " M) in space '" + space.name() + "'");
    }
    double score = number(node, "score", binKey, index);
    double lower = node.has("bin_lower") ? number(node, "bin_lower", binKey, index) : defaultLower;
    return new Entry(binKey, lower, binUpper, index + 1, arch, params, space.flops(arch), score);
  }

  private static double binUpper(String key) {
    double upper;
    try {
      upper = Double.parseDouble(key.strip());
    } catch (NumberFormatException e) {
      upper = Double.NaN;
    }
    if (!(upper > 0) || Double.isInfinite(upper) || key.length() > MAX_BIN_KEY) {
      throw new PreferredFileException(key, null, null, "a bin key is the bin's upper bound, a positive number of at "
          + "most " + MAX_BIN_KEY + " characters (\"6.0\")");
    }
    return upper;
  }

  private static double narrowestGap(List<Map.Entry<String, Double>> bins) {
    List<Double> uppers = bins.stream().map(Map.Entry::getValue).sorted().toList();
    double gap = Double.NaN;
    for (int i = 1; i < uppers.size(); i++) {
      double d = uppers.get(i) - uppers.get(i - 1);
      if (d > 0 && !(d >= gap)) {
        gap = d;
      }
    }
    return gap;
  }

  private static double number(JsonNode entry, String member, String binKey, int index) {
    JsonNode v = entry.get(member);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw new PreferredFileException(binKey, index, member, member + " must be a finite number, got "
          + (v == null ? "nothing" : ConfigTree.describe(v)));
    }
    return v.doubleValue();
  }
}
