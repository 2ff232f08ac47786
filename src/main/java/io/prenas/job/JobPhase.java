package io.prenas.job;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every phase a job can report, in the order a pipeline runs them. The API documents this list as the enum of a
 * job's {@code phase}, so a generated client gets a closed type: a phase a job starts must be one of these
 * ({@link JobProgress#phase} refuses any other), and a model family that adds a selection phase adds it here.
 */
public enum JobPhase {
  /** Not run but recorded: a preferred table imported through the API (the phase of that job's row). */
  IMPORT,
  /** The selector's gradient pass (one per resolution where a family has several). */
  GRADIENT_PASS,
  /** ViT selection: SNIP score tables per block. */
  BLOCK_SCORES,
  /** ViT selection: per-candidate sums prepared for scoring. */
  PRECOMPUTE,
  /** ViT selection: the isomer candidates enumerated and scored. */
  ENUMERATE_AND_SCORE,
  /** CNN selection: stage options, suffix Pareto fronts and completion bounds per resolution. */
  SEARCH_TABLES,
  /** CNN selection: the exact number of architectures in each bin. */
  COUNT,
  /** Candidates binned by size and the top-N of each bin kept. */
  BIN_AND_SELECT,
  /** The preferred table written to the database. */
  STORE_PREFERRED,
  /** Supernet training steps. */
  TRAINING,
  /** Every preferred subnet evaluated on the validation split. */
  EVALUATION,
  /** Preferred subnets exported as standalone models. */
  EXPORT,
  /** Exported models stored and entered in the catalog. */
  PUBLISH;

  /** The phase's spelling on the job row and in the API ({@code gradient_pass}, ...). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The spellings of all phases, in order. */
  public static List<String> apiNames() {
    return Arrays.stream(values()).map(JobPhase::apiName).toList();
  }

  /**
   * The phase of a spelling.
   *
   * @throws IllegalArgumentException for a name that is not a phase (a programming error: phases are not input)
   */
  public static JobPhase of(String apiName) {
    for (JobPhase p : values()) {
      if (p.apiName().equals(apiName)) {
        return p;
      }
    }
    throw new IllegalArgumentException("'" + apiName + "' is not a job phase (known: " + apiNames() + ")");
  }
}
