package io.prenas.fuzz;

import java.util.List;

/** Fragments of space YAML worth inserting: keys of both families, list and map marks, odd scalars, anchors, tags. */
public final class SpaceYamlTokens {

  private SpaceYamlTokens() {}

  public static final List<String> TOKENS = List.of("SUPERNET:", "SEARCH_SPACE:", "MODEL:", "TYPE: cnn", "TYPE: vit",
      "STAGES:", "- ", "\n  ", "\n    - ", ": ", "[]", "{}", "[0, 0]", "-1", "0", "1e400", "NaN", ".inf",
      "99999999999999999999", "2147483648", "0x10", "~", "null", "&a ", "*a", "!!binary ", "!!str ", "? ", "'",
      "\"\\u0000\"", "\t", "---\n", "...\n", "%YAML 1.2\n", "<<: *a", "\uFEFF", "\u0085", "é");
}
