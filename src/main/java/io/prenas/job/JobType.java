package io.prenas.job;

/** The kinds of job a client can submit. */
public enum JobType {
  /** Zero-cost selection of the preferred architectures (one per parameter bin). */
  SELECTION,
  /** Preferred one-shot training of the supernet on the preferred set. */
  TRAINING,
  /** Validation of every preferred subnet of a trained supernet. */
  EVALUATION,
  /** Selection, then training, then evaluation, then publication of every preferred subnet as a model. */
  PIPELINE;

  /** The lower-case name used in the API ({@code selection}, ...). */
  public String apiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses an API name (case-insensitive); {@code null} when unknown. */
  public static JobType fromApiName(String s) {
    if (s == null) {
      return null;
    }
    for (JobType t : values()) {
      if (t.name().equalsIgnoreCase(s.trim())) {
        return t;
      }
    }
    return null;
  }
}
