package io.prenas.selector;

/** Which parameters a candidate's SNIP score (paper Eq. 4, Σ|θ·g| over the subnet) covers, and how it is summed. */
public enum ScoreMode {
  /**
   * Exactly the subnet's parameters (spec section 6): patch embedding, cls and pos {@code [..., :E]}, per layer the
   * LayerNorms, interleaved qkv rows, proj, the four relative-position tables, fc1, fc2; the final norm, the head
   * weight {@code [:, :E]} and the whole head bias. Summed in double.
   */
  SUBNET,
  /**
   * The reference's {@code left_super_taylor6}: leaves out cls, pos and the relative-position tables, takes
   * {@code head.bias[:E]} (a slicing bug) and accumulates in float32, one rounded sum per tensor added to a float32
   * running total in the reference's tensor order. Use it to reproduce the reference's selections.
   */
  REFERENCE;

  /** Parses the CLI spelling: {@code reference} or {@code subnet}/{@code default}. */
  public static ScoreMode parse(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "reference" -> REFERENCE;
      case "subnet", "default", "none" -> SUBNET;
      default -> throw new SelectorException("unknown score compat mode '" + text + "' (use 'reference')");
    };
  }
}
