package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.storage.StorageFailure;
import io.prenas.storage.StorageProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The life cycle every job handler shares, so that handlers are re-entrant: a job already ended is skipped; a job
 * that was RUNNING when its worker died (its lease lapsed) is simply run again (resuming from its checkpoint is the
 * handler's business), while one whose worker still renews its lease is never run twice;
 * the row says RUNNING with this worker while it runs and ends SUCCEEDED, CANCELLED (on request) or FAILED (with the
 * reason). A failure other than {@link JobFailedException} puts the job back to QUEUED while JobRunr has retries
 * left, and is rethrown so JobRunr retries it; a storage failure (disk full, read-only) fails the job at once.
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

  /** One daemon thread renews the leases of the jobs this JVM runs. */
  private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "prenas-job-lease");
    t.setDaemon(true);
    return t;
  });

  private final Duration progressInterval;
  private final Path storageDir;
  private final Duration lease;

  JobRunner(JobRepository jobs, ObjectMapper json, JobsProperties settings, StorageProperties storage) {
    this.lease = settings.lease();
    this.jobs = jobs;
    this.json = json;
    this.progressInterval = settings.progressInterval();
    this.storageDir = storage.dir().toAbsolutePath().normalize();
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
    if (!claim(id)) {
      return;
    }
    job = jobs.findById(id).orElseThrow();
    JobLogContext.type(job.type());
    JobProgress progress = new JobProgress(id, jobs, json, clock, progressInterval);
    progress.log("started on " + worker + " (attempt " + job.attempts() + ")");
    ScheduledFuture<?> heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> renewLease(id),
        leaseRenewal().toMillis(), leaseRenewal().toMillis(), TimeUnit.MILLISECONDS);
    try {
      body.run(job, progress);
      jobs.finish(id, JobState.SUCCEEDED.name(), null, clock.instant());
      progress.log("succeeded");
    } catch (JobCancelledException e) {
      progress.log("cancelled on request");
      jobs.finish(id, JobState.CANCELLED.name(), "cancelled on request", clock.instant());
    } catch (JobFailedException e) {
      fail(id, progress, e.getMessage(), e);
    } catch (Exception | Error e) {
      Optional<String> storage = StorageFailure.describe(e, storageDir);
      if (storage.isPresent()) {
        // Disk full or read-only: a retry would hit the same wall, so the job fails now, saying what to fix.
        fail(id, progress, storage.get(), e);
        return;
      }
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.error("job {} attempt {} failed", id, job.attempts(), e);
      progress.log("attempt " + job.attempts() + " failed: " + reason);
      if (job.attempts() <= retries) {
        jobs.requeue(id, reason, clock.instant());
      } else {
        jobs.finish(id, JobState.FAILED.name(), reason, clock.instant());
      }
      throw e;
    } finally {
      heartbeat.cancel(false);
    }
  }

  /** Ends the job FAILED with {@code reason}, without a retry. */
  private void fail(UUID id, JobProgress progress, String reason, Throwable cause) {
    LOG.error("job {} failed: {}", id, reason, cause);
    progress.log("failed: " + reason);
    jobs.finish(id, JobState.FAILED.name(), reason, clock.instant());
  }

  /**
   * Takes the job's row for this worker. A row still RUNNING under a live worker (its lease renewed within
   * {@code prenas.jobs.lease}) is someone else's: JobRunr handed out a duplicate (e.g. it took a long pause for a
   * dead server). Wait one lease for it to lapse; if the holder is still alive, this copy does nothing.
   */
  private boolean claim(UUID id) throws InterruptedException {
    for (int attempt = 0; attempt < 2; attempt++) {
      Instant now = clock.instant();
      if (jobs.markRunning(id, worker, now, now.minus(lease)) == 1) {
        return true;
      }
      JobRecord current = jobs.findById(id).orElse(null);
      if (current == null || current.state().terminal()) {
        return false;
      }
      if (current.cancelRequested()) {
        jobs.finish(id, JobState.CANCELLED.name(), "cancelled on request", clock.instant());
        return false;
      }
      if (attempt == 0) {
        LOG.info("job {} is held by worker {}; waiting {} for its lease to lapse", id, current.worker(), lease);
        Thread.sleep(lease.plusMillis(500).toMillis());
      } else {
        LOG.warn("job {} is running on live worker {}; this duplicate run does nothing", id, current.worker());
      }
    }
    return false;
  }

  private void renewLease(UUID id) {
    try {
      jobs.heartbeat(id, worker, clock.instant());
    } catch (RuntimeException e) {
      // The database may be away for a moment; the next beat tries again, and the lease is several beats long.
      LOG.warn("job {}: could not renew the lease: {}", id, e.getMessage());
    }
  }

  /** A lease is renewed four times within its length, so one missed beat never lets another worker take over. */
  private Duration leaseRenewal() {
    return lease.dividedBy(4);
  }
}
