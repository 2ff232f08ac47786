package io.prenas.job;

/** A validated job submission: type, space name and options (defaults not yet filled). */
public record JobCommand(JobType type, String space, JobOptions options) {
  public JobCommand {
    if (type == null) {
      throw new JobOptionException("type", "is required (selection, training, evaluation or pipeline)");
    }
    if (space == null || space.isBlank()) {
      throw new JobOptionException("space", "is required");
    }
    options = options == null ? JobOptions.none() : options;
    options.requireAllowedFor(type);
  }
}
