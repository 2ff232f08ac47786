package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The life cycle every job handler shares, so that handlers are re-entrant: a job already ended is skipped; a job
 * that was RUNNING when its worker died is simply run again (resuming from its checkpoint is the handler's business);
 * the row says RUNNING with this worker while it runs and ends SUCCEEDED, CANCELLED (on request) or FAILED (with the
 * reason). A failure other than {@link JobFailedException} puts the job back to QUEUED while JobRunr has retries
 * left, and is rethrown so JobRunr retries it.
 */
@Component
class JobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /** A job body: gets the row as it was when the job started and reports through the progress. */
  @FunctionalInterface
  interface Body {
    void run(JobRecord job, JobProgress progress) throws Exception;
  }

  private final JobRepository jobs;
  private final ObjectMapper json;
  private final Clock clock = Clock.systemUTC();
  private final String worker = ManagementFactory.getRuntimeMXBean().getName(); // pid@host

  private final Duration progressInterval;

  JobRunner(JobRepository jobs, ObjectMapper json,
      @Value("${prenas.jobs.progress-interval:2s}") Duration progressInterval) {
    this.jobs = jobs;
    this.json = json;
    this.progressInterval = progressInterval;
  }

  /**
   * Runs a job body around its row. While it runs, the thread's MDC names the job ({@link JobLogContext}).
   *
   * @param retries the retries JobRunr has for this handler (its {@code @Job(retries)}), to know the last attempt
   */
  void run(UUID id, int retries, Body body) throws Exception {
    try (JobLogContext ignored = JobLogContext.open(id)) {
      runLogged(id, retries, body);
    }
  }

  private void runLogged(UUID id, int retries, Body body) throws Exception {
    JobRecord job = jobs.findById(id).orElse(null);
    if (job == null) {
      LOG.warn("job {} has no row (deleted?); nothing to do", id);
      return;
    }
    if (job.state().terminal()) {
      LOG.info("job {} is already {}; nothing to do", id, job.state());
      return;
    }
    if (jobs.markRunning(id, worker, clock.instant()) == 0) {
      jobs.finish(id, JobState.CANCELLED.name(), "cancelled on request", clock.instant());
      return;
    }
    job = jobs.findById(id).orElseThrow();
    JobLogContext.type(job.type());
    JobProgress progress = new JobProgress(id, jobs, json, clock, progressInterval);
    progress.log("started on " + worker + " (attempt " + job.attempts() + ")");
    try {
      body.run(job, progress);
      jobs.finish(id, JobState.SUCCEEDED.name(), null, clock.instant());
      progress.log("succeeded");
    } catch (JobCancelledException e) {
      progress.log("cancelled on request");
      jobs.finish(id, JobState.CANCELLED.name(), "cancelled on request", clock.instant());
    } catch (JobFailedException e) {
      LOG.error("job {} failed: {}", id, e.getMessage(), e);
      progress.log("failed: " + e.getMessage());
      jobs.finish(id, JobState.FAILED.name(), e.getMessage(), clock.instant());
    } catch (Exception | Error e) {
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.error("job {} attempt {} failed", id, job.attempts(), e);
      progress.log("attempt " + job.attempts() + " failed: " + reason);
      if (job.attempts() <= retries) {
        jobs.requeue(id, reason, clock.instant());
      } else {
        jobs.finish(id, JobState.FAILED.name(), reason, clock.instant());
      }
      throw e;
    }
  }
}
