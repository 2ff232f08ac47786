package io.prenas.job;

/** Life cycle of a job row: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED (QUEUED may go straight to CANCELLED). */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** Parses a state name (case-insensitive); {@code null} when unknown. */
  public static JobState parse(String s) {
    if (s == null) {
      return null;
    }
    for (JobState st : values()) {
      if (st.name().equalsIgnoreCase(s.trim())) {
        return st;
      }
    }
    return null;
  }
}
