package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The preferred table a training, evaluation or pipeline job works on, or the reason it cannot run. */
@Component
class PreferredSet {

  private final PreferredTables tables;

  PreferredSet(PreferredTables tables) {
    this.tables = tables;
  }

  /**
   * The table of one selection (or pipeline) job, or the space's latest when {@code jobId} is null.
   *
   * @param field the option that named the job, for the failure reason
   */
  PreferredTables.Table of(String space, UUID jobId, String field) {
    UUID id = jobId != null ? jobId : tables.latestJob(space).orElseThrow(() -> new JobFailedException("space '"
        + space + "' has no preferred table yet: run a selection job first (or a pipeline)"));
    return tables.find(space, id).orElseThrow(() -> new JobFailedException(field + ": job " + id
        + " wrote no preferred table for space '" + space + "'"));
  }
}
