package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.space.SearchSpace;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Checks, before a job is queued, the jobs its options name: the preferred table it works on and the trained
 * supernet it starts from or evaluates. A referenced job must exist (else 404), be of a kind that has what is asked
 * for and belong to the same space (else 422), and have it already: a table or supernet still to come from a
 * queued or running job is a 409, one that ended without it a 422. The rules are those the worker applies when it
 * runs the job ({@link PreferredSet}, {@link TrainedJobs}), checked early.
 */
@Component
class ReferencedJobs {

  private static final Set<JobType> TABLE_WRITERS = Set.of(JobType.SELECTION, JobType.PIPELINE);
  private static final Set<JobType> SUPERNET_TRAINERS = Set.of(JobType.TRAINING, JobType.PIPELINE);

  private final JobRepository jobs;
  private final PreferredTables tables;
  private final TrainedJobs trained;

  ReferencedJobs(JobRepository jobs, PreferredTables tables, TrainedJobs trained) {
    this.jobs = jobs;
    this.tables = tables;
    this.trained = trained;
  }

  /**
   * The preferred table of job {@code id} (a selection, an import or a pipeline past its selection) exists for
   * {@code space}; with no id, the space has a table at all.
   */
  void requireTable(SearchSpace space, UUID id, String field) {
    if (id == null) {
      if (tables.latestJob(space.name()).isEmpty()) {
        throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, field, "space '" + space.name()
            + "' has no preferred table yet: run a selection or pipeline job first, or import a table (POST "
            + "/api/v1/spaces/" + space.name() + "/preferred)");
      }
      return;
    }
    JobRecord job = existing(id, space.name(), field, TABLE_WRITERS, "selection or pipeline");
    if (tables.find(space, id).isEmpty()) {
      throw notYet(job, field, "has not written a preferred table");
    }
  }

  /**
   * Job {@code id} is a training or pipeline job of {@code space} that succeeded with a supernet; with no id, the
   * space has such a job.
   */
  void requireTrainedSupernet(String space, UUID id, String field) {
    if (id == null) {
      try {
        trained.latest(space);
      } catch (JobFailedException e) {
        throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, field, e.getMessage() + ": name a "
            + "training or pipeline job, or evaluate the space's imported supernet (supernet: imported)");
      }
      return;
    }
    JobRecord job = existing(id, space, field, SUPERNET_TRAINERS, "training or pipeline");
    if (job.state() != JobState.SUCCEEDED || job.supernetSha256() == null) {
      throw notYet(job, field, "has no trained supernet");
    }
  }

  private JobRecord existing(UUID id, String space, String field, Set<JobType> kinds, String kindNames) {
    JobRecord job = jobs.findById(id).orElseThrow(() -> new JobOptionException(JobOptionException.Kind.NOT_FOUND,
        field, "no job " + id));
    if (!job.space().equals(space)) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, field, "job " + id + " belongs to space '"
          + job.space() + "', not '" + space + "'");
    }
    if (!kinds.contains(job.type())) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, field, "job " + id + " is a "
          + job.type().apiName() + " job; a " + kindNames + " job is needed here");
    }
    return job;
  }

  /** A job without what is needed: it may still come (queued, running) or never will (ended). */
  private static JobOptionException notYet(JobRecord job, String field, String lacking) {
    boolean pending = !job.state().terminal();
    return new JobOptionException(pending ? JobOptionException.Kind.NOT_READY : JobOptionException.Kind.UNRUNNABLE,
        field, "job " + job.id() + " " + lacking + (pending ? " yet (it is " + job.state()
            + "; submit this job once it has succeeded)" : " (it ended " + job.state() + ")"));
  }
}
