package io.prenas.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.catalog.SpaceNotFoundException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;

/**
 * Submits, reads and cancels jobs. A submit writes the row (QUEUED) and enqueues a JobRunr job with the same id; any
 * worker then runs it. An idempotency key makes a repeated submit return the first job.
 */
@Service
public class JobService {

  /** A submit's outcome: the job, and whether it was created now or found by its idempotency key. */
  public record Submitted(JobRecord job, boolean created) {}

  private final JobRepository jobs;
  private final SpaceCatalog spaces;
  private final JobRequestScheduler scheduler;
  private final ObjectMapper json;
  private final JobSubmissionCheck submissionCheck;
  private final JobMemory memory;

  JobService(JobRepository jobs, SpaceCatalog spaces, JobRequestScheduler scheduler, ObjectMapper json,
      JobSubmissionCheck submissionCheck, JobMemory memory) {
    this.submissionCheck = submissionCheck;
    this.memory = memory;
    this.jobs = jobs;
    this.spaces = spaces;
    this.scheduler = scheduler;
    this.json = json;
  }

  public Submitted submit(JobCommand command, String idempotencyKey) {
    if (idempotencyKey != null) {
      if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
        throw new JobOptionException("Idempotency-Key", "must be 1 to 200 characters");
      }
      var existing = jobs.findByIdempotencyKey(idempotencyKey);
      if (existing.isPresent()) {
        return new Submitted(requireSameRequest(existing.get(), command), false);
      }
    }
    SpaceInfo space = spaces.find(command.space()).orElseThrow(() -> new SpaceNotFoundException(command.space()));
    JobOptions options = command.options().withDefaults(command.type());
    submissionCheck.check(command.type(), space, options); // nothing is written for a job that could not run
    memory.check(command.type(), space.space(), options.batchSize()); // nor for one a worker could not hold
    JobRecord job;
    try {
      job = jobs.saveAndFlush(new JobRecord(UUID.randomUUID(), command.type(), command.space(),
          json.writeValueAsString(options), idempotencyKey));
    } catch (DataIntegrityViolationException e) {
      // a concurrent submit with the same key won the insert
      JobRecord winner = jobs.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e);
      return new Submitted(requireSameRequest(winner, command), false);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      scheduler.enqueue(job.id(), request(job));
    } catch (RuntimeException e) {
      // JobRunr's storage is the same database: it was away for a moment, so a resubmit may well succeed.
      jobs.fail(job.id(), "could not enqueue: " + e.getMessage(), FailureClass.TRANSIENT.name(), Instant.now());
      throw e;
    }
    return new Submitted(job, true);
  }

  /** The JobRunr command of a job: the request of its type, which names the handler of its type. */
  private static JobRequest request(JobRecord job) {
    return switch (job.type()) {
      case SELECTION -> new SelectionJobRequest(job.id());
      case TRAINING -> new TrainingJobRequest(job.id());
      case EVALUATION -> new EvaluationJobRequest(job.id());
      case PIPELINE -> new PipelineJobRequest(job.id());
    };
  }

  public JobRecord get(UUID id) {
    return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  public Page<JobRecord> list(JobState state, JobType type, String space, Pageable page) {
    return jobs.search(state, type, space, page);
  }

  /**
   * Cancels a job: a queued job ends CANCELLED at once (and leaves the JobRunr queue); a running one gets its flag
   * set and ends CANCELLED at its next step.
   *
   * @throws JobConflictException when the job has already ended
   */
  public JobRecord cancel(UUID id) {
    JobRecord job = get(id);
    Instant now = Instant.now();
    if (jobs.cancelQueued(id, now) == 1) {
      try {
        scheduler.delete(id);
      } catch (RuntimeException e) {
        // the handler sees the CANCELLED row and does nothing
      }
    } else if (jobs.requestCancel(id, now) == 0 && get(id).state().terminal()) {
      throw new JobConflictException("state", "job " + id + " has already ended (" + get(id).state() + ")");
    }
    return get(job.id());
  }

  private JobRecord requireSameRequest(JobRecord existing, JobCommand command) {
    boolean same = existing.type() == command.type() && Objects.equals(existing.space(), command.space());
    if (same) {
      try {
        JsonNode stored = json.readTree(existing.options());
        JsonNode asked = json.readTree(json.writeValueAsString(command.options().withDefaults(command.type())));
        same = stored.equals(asked);
      } catch (JsonProcessingException e) {
        same = false;
      }
    }
    if (!same) {
      throw new JobConflictException("Idempotency-Key",
          "the key was already used for a different request (job " + existing.id() + ")");
    }
    return existing;
  }
}
