package io.prenas.job;

import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/** Finds the trained supernets of a space: a named training or pipeline job, or the newest that succeeded. */
@Component
class TrainedJobs {

  private final JobRepository jobs;

  TrainedJobs(JobRepository jobs) {
    this.jobs = jobs;
  }

  /**
   * The succeeded training or pipeline job {@code id} of {@code space}.
   *
   * @param field the option that named it, for the failure reason
   */
  JobRecord named(UUID id, String space, String field) {
    JobRecord j = jobs.findById(id).orElseThrow(() -> new JobFailedException(field + ": no job " + id));
    if (!j.space().equals(space) || (j.type() != JobType.TRAINING && j.type() != JobType.PIPELINE)
        || j.state() != JobState.SUCCEEDED) {
      throw new JobFailedException(field + ": job " + id + " is not a succeeded training or pipeline job of space '"
          + space + "'");
    }
    return j;
  }

  /** The newest succeeded training or pipeline job of {@code space}. */
  JobRecord latest(String space) {
    return Stream.of(JobType.TRAINING, JobType.PIPELINE)
        .map(t -> jobs.findFirstBySpaceAndTypeAndStateOrderByFinishedAtDesc(space, t, JobState.SUCCEEDED))
        .flatMap(Optional::stream)
        .max(Comparator.comparing(JobRecord::finishedAt))
        .orElseThrow(() -> new JobFailedException("space '" + space + "' has no succeeded training or pipeline job "
            + "to evaluate yet"));
  }

  /** The supernet a training or pipeline job stored. */
  static String supernetOf(JobRecord trained) {
    return require(trained, trained.supernetSha256(), "supernet");
  }

  /** The selection whose preferred table a training or pipeline job trained. */
  static UUID selectionOf(JobRecord trained) {
    return require(trained, trained.selectionJob(), "selection job");
  }

  private static <T> T require(JobRecord j, T link, String what) {
    if (link == null) {
      throw new JobFailedException("job " + j.id() + " has no " + what + " on its row");
    }
    return link;
  }
}
