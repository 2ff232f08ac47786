package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.space.SearchSpace;
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
  PreferredTables.Table of(SearchSpace space, UUID jobId, String field) {
    String name = space.name();
    UUID id = jobId != null ? jobId : tables.latestJob(name).orElseThrow(() -> new JobFailedException("space '"
        + name + "' has no preferred table yet: run a selection job first (or a pipeline)"));
    return tables.find(space, id).orElseThrow(() -> new JobFailedException(field + ": job " + id
        + " wrote no preferred table for space '" + name + "'"));
  }
}
