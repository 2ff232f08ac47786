package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.storage.StorageProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * reason and its {@link FailureClass}). A deterministic failure ({@link JobFailure}: invalid options or data, out of
 * memory at the job's size, a corrupt file, a full disk, a bug) ends the job at once; only a transient one (database
 * outage, storage away, the worker stopped) puts it back to QUEUED and is rethrown so that JobRunr retries it with its
 * backoff, until {@code prenas.jobs.max-attempts} attempts in all. JobRunr is given one retry more than that (see
 * {@code application.properties}), so that a job whose worker died during its last attempt is handed out once more
 * and ended here, FAILED and TRANSIENT, instead of being left RUNNING.
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
  private final RunningJobs running;
  private final Duration lease;
  private final int maxAttempts;

  JobRunner(JobRepository jobs, ObjectMapper json, JobsProperties settings, StorageProperties storage,
      RunningJobs running) {
    this.running = running;
    this.lease = settings.lease();
    this.maxAttempts = settings.maxAttempts();
    this.jobs = jobs;
    this.json = json;
    this.progressInterval = settings.progressInterval();
    this.storageDir = storage.dir().toAbsolutePath().normalize();
  }

  /** Runs a job body around its row. While it runs, the thread's MDC names the job ({@link JobLogContext}). */
  void run(UUID id, Body body) throws Exception {
    try (JobLogContext ignored = JobLogContext.open(id)) {
      runLogged(id, body);
    }
  }

  private void runLogged(UUID id, Body body) throws Exception {
    JobRecord job = jobs.findById(id).orElse(null);
    if (job == null) {
      LOG.warn("job {} has no row (deleted?); nothing to do", id);
      return;
    }
    if (job.state().terminal()) {
      LOG.info("job {} is already {}; nothing to do", id, job.state());
      return;
    }
    JobRecord before = job;
    if (!claim(id)) {
      return;
    }
    job = jobs.findById(id).orElseThrow();
    JobLogContext.type(job.type());
    JobProgress progress = new JobProgress(id, jobs, json, clock, progressInterval);
    if (job.attempts() > maxAttempts) {
      // JobRunr's spare retry: the last allowed attempt never reported back, its worker died.
      fail(id, progress, new JobFailure(FailureClass.TRANSIENT, "gave up after " + maxAttempts + " attempts "
          + "(prenas.jobs.max-attempts): the worker of the last one (" + before.worker() + ") stopped without "
          + "finishing it" + (before.failureReason() == null ? "" : "; before that: " + before.failureReason())), null);
      return;
    }
    progress.log("started on " + worker + " (attempt " + job.attempts() + ")");
    ScheduledFuture<?> heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> renewLease(id),
        leaseRenewal().toMillis(), leaseRenewal().toMillis(), TimeUnit.MILLISECONDS);
    running.started();
    try {
      body.run(job, progress);
      jobs.finish(id, JobState.SUCCEEDED.name(), null, clock.instant());
      progress.log("succeeded");
    } catch (JobCancelledException e) {
      progress.log("cancelled on request");
      jobs.finish(id, JobState.CANCELLED.name(), "cancelled on request", clock.instant());
    } catch (Exception | Error e) {
      JobFailure failure = JobFailure.of(e, storageDir);
      if (!failure.retryable()) {
        // Invalid input, out of memory at this size, a corrupt file, a bug: another attempt would fail alike. Not
        // rethrown, so JobRunr does not retry it and this worker goes on to the next job.
        fail(id, progress, failure, e);
        return;
      }
      LOG.error("job {} attempt {} failed ({})", id, job.attempts(), failure.failureClass(), e);
      progress.log("attempt " + job.attempts() + " failed (transient): " + failure.reason());
      if (job.attempts() < maxAttempts) {
        jobs.requeue(id, failure.reason(), clock.instant());
        throw e;
      }
      fail(id, progress, new JobFailure(FailureClass.TRANSIENT, "gave up after " + maxAttempts + " attempts "
          + "(prenas.jobs.max-attempts): " + failure.reason()), e);
    } finally {
      heartbeat.cancel(false);
      running.ended();
    }
  }

  /** Ends the job FAILED with the failure's reason and class, without a retry. */
  private void fail(UUID id, JobProgress progress, JobFailure failure, Throwable cause) {
    LOG.error("job {} failed ({}): {}", id, failure.failureClass(), failure.reason(), cause);
    progress.log("failed (" + failure.failureClass().name().toLowerCase(java.util.Locale.ROOT) + "): "
        + failure.reason());
    jobs.fail(id, failure.reason(), failure.failureClass().name(), clock.instant());
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
