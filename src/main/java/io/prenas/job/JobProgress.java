package io.prenas.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running job reports, written to its row while it runs: the phase, progress done/total with an ETA, metrics
 * and log lines; and the cancellation flag, which {@link #checkCancelled()} turns into a {@link JobCancelledException}
 * between steps. Progress writes are throttled (at most one per {@code minInterval}, plus the last step of a phase).
 */
public final class JobProgress {

  private static final Logger LOG = LoggerFactory.getLogger(JobProgress.class);
  static final int LOG_LINES_KEPT = 50;

  private final UUID jobId;
  private final Row row;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration minInterval;

  private String phase;
  private long total;
  private long done;
  private Instant phaseStart;
  private Instant lastWrite = Instant.EPOCH;
  private Instant lastCancelCheck = Instant.EPOCH;

  JobProgress(UUID jobId, JobRepository jobs, ObjectMapper json, Clock clock, Duration minInterval) {
    this(jobId, new RepositoryRow(jobs, jobId), json, clock, minInterval);
  }

  private JobProgress(UUID jobId, Row row, ObjectMapper json, Clock clock, Duration minInterval) {
    this.jobId = jobId;
    this.row = row;
    this.json = json;
    this.clock = clock;
    this.minInterval = minInterval;
  }

  /**
   * A progress that writes through {@code row} instead of the database: the engine process of a job reports this
   * way to its worker ({@link ProgressLines}), with the same throttling and ETA as a job run in the worker's JVM.
   */
  static JobProgress over(UUID jobId, Row row, ObjectMapper json, Duration minInterval) {
    return new JobProgress(jobId, row, json, Clock.systemUTC(), minInterval);
  }

  /** This progress's writes, as they go to the job's row (a worker relays an engine process's writes here). */
  Row row() {
    return row;
  }

  /** The writes a progress makes to its job's row, in the terms of {@link JobRepository} less the job's id. */
  interface Row {
    void progress(String phase, long done, long total, Instant eta, Instant now);

    void progressWithMetrics(String phase, long done, long total, Instant eta, String metricsJson, Instant now);

    Boolean cancelRequested();

    void mergeMetrics(String metricsJson, Instant now);

    void appendLog(String line, int keep, Instant now);

    void checkpoint(String sha256, Instant now);

    void linkSelection(UUID selectionJob, Instant now);

    void linkTraining(UUID trainingJob, Instant now);

    void linkSupernet(String sha256, Instant now);
  }

  /** The job's row in the database. */
  private record RepositoryRow(JobRepository repository, UUID id) implements Row {

    @Override
    public void progress(String phase, long done, long total, Instant eta, Instant now) {
      repository.progress(id, phase, done, total, eta, now);
    }

    @Override
    public void progressWithMetrics(String phase, long done, long total, Instant eta, String metricsJson,
        Instant now) {
      repository.progressWithMetrics(id, phase, done, total, eta, metricsJson, now);
    }

    @Override
    public Boolean cancelRequested() {
      return repository.cancelRequested(id);
    }

    @Override
    public void mergeMetrics(String metricsJson, Instant now) {
      repository.mergeMetrics(id, metricsJson, now);
    }

    @Override
    public void appendLog(String line, int keep, Instant now) {
      repository.appendLog(id, line, keep, now);
    }

    @Override
    public void checkpoint(String sha256, Instant now) {
      repository.checkpoint(id, sha256, now);
    }

    @Override
    public void linkSelection(UUID selectionJob, Instant now) {
      repository.linkSelection(id, selectionJob, now);
    }

    @Override
    public void linkTraining(UUID trainingJob, Instant now) {
      repository.linkTraining(id, trainingJob, now);
    }

    @Override
    public void linkSupernet(String sha256, Instant now) {
      repository.linkSupernet(id, sha256, now);
    }
  }

  public UUID jobId() {
    return jobId;
  }

  /**
   * Starts a phase of {@code total} steps (0 when unknown); checks for cancellation first.
   *
   * @param name a {@link JobPhase}'s spelling: the API declares phases as a closed enum
   */
  public void phase(String name, long total) {
    JobPhase.of(name);
    checkCancelled(true);
    this.phase = name;
    JobLogContext.phase(name);
    this.total = Math.max(0, total);
    this.done = 0;
    this.phaseStart = clock.instant();
    write(true);
    log("phase " + name + (total > 0 ? " (" + total + " steps)" : ""));
  }

  /** Reports {@code done} steps of the current phase and checks for cancellation. */
  public void step(long done) {
    this.done = Math.max(0, done);
    write(total > 0 && done >= total);
    checkCancelled(false);
  }

  /**
   * Reports {@code done} steps of the current phase with the engine's own ETA and metrics, throttled like
   * {@link #step(long)} (the last step of a phase is always written). Never throws for a cancellation: engines that
   * stop cleanly on cancel (writing a checkpoint first) poll {@link #cancelRequested()} instead.
   *
   * @param etaSeconds seconds to the end of the phase; NaN or negative to estimate from the phase's pace
   * @param metrics merged into the job's metrics in the same write
   */
  public void report(long done, double etaSeconds, Map<String, ?> metrics) {
    report(done, etaSeconds, metrics, false);
  }

  /** Like {@link #report(long, double, Map)}; {@code force} writes now (e.g. the step a resumed phase starts at). */
  public void report(long done, double etaSeconds, Map<String, ?> metrics, boolean force) {
    report(done, etaSeconds, () -> metrics, force);
  }

  /**
   * Like {@link #report(long, double, Map)}, building the metrics only when the report is written: engines report
   * every step and most reports are throttled away.
   */
  public void report(long done, double etaSeconds, Supplier<? extends Map<String, ?>> metrics) {
    report(done, etaSeconds, metrics, false);
  }

  private void report(long done, double etaSeconds, Supplier<? extends Map<String, ?>> metrics, boolean force) {
    this.done = Math.max(0, done);
    Instant now = clock.instant();
    if (!force && !(total > 0 && done >= total) && Duration.between(lastWrite, now).compareTo(minInterval) < 0) {
      return;
    }
    lastWrite = now;
    Instant eta = Double.isFinite(etaSeconds) && etaSeconds >= 0
        ? now.plusMillis((long) Math.min(etaSeconds * 1000, 1e13)) : eta(now);
    row.progressWithMetrics(phase, this.done, total, eta, toJson(metrics.get()), now);
  }

  /**
   * True when the job's cancellation was requested. Not throttled (one primary-key read), so an engine that polls
   * it before every step stops within one step.
   */
  public boolean cancelRequested() {
    return Boolean.TRUE.equals(row.cancelRequested());
  }

  /** Merges metrics into the job's current metrics (numbers, strings, small maps). */
  public void metrics(Map<String, ?> metrics) {
    row.mergeMetrics(toJson(metrics), clock.instant());
  }

  private String toJson(Map<String, ?> metrics) {
    try {
      return json.writeValueAsString(metrics);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("metrics are not JSON-serialisable: " + e.getOriginalMessage(), e);
    }
  }

  /** Appends a line to the job's log (the last {@value #LOG_LINES_KEPT} lines are kept) and to the server log. */
  public void log(String line) {
    LOG.info("job {}: {}", jobId, line);
    String stamped = clock.instant() + " " + line;
    row.appendLog(stamped.length() > 2000 ? stamped.substring(0, 2000) : stamped, LOG_LINES_KEPT,
        clock.instant());
  }

  /** Records the job's latest checkpoint artifact (a job that is resumed starts from it). */
  public void checkpoint(String sha256) {
    row.checkpoint(sha256, clock.instant());
  }

  /** Records on the job's row the selection whose preferred table it uses. */
  public void linkSelection(UUID selectionJob) {
    row.linkSelection(selectionJob, clock.instant());
  }

  /** Records on the job's row the training (or pipeline) whose supernet it evaluates. */
  public void linkTraining(UUID trainingJob) {
    row.linkTraining(trainingJob, clock.instant());
  }

  /** Records on the job's row the supernet artifact it trained or evaluates. */
  public void linkSupernet(String sha256) {
    row.linkSupernet(sha256, clock.instant());
  }

  /** Throws {@link JobCancelledException} when the job's cancellation was requested. */
  public void checkCancelled() {
    checkCancelled(true);
  }

  private void checkCancelled(boolean force) {
    Instant now = clock.instant();
    if (!force && Duration.between(lastCancelCheck, now).compareTo(minInterval) < 0) {
      return;
    }
    lastCancelCheck = now;
    if (Boolean.TRUE.equals(row.cancelRequested())) {
      throw new JobCancelledException();
    }
  }

  private void write(boolean force) {
    Instant now = clock.instant();
    if (!force && Duration.between(lastWrite, now).compareTo(minInterval) < 0) {
      return;
    }
    lastWrite = now;
    row.progress(phase, done, total, eta(now), now);
  }

  private Instant eta(Instant now) {
    if (total <= 0 || done <= 0 || phaseStart == null) {
      return null;
    }
    long elapsed = Duration.between(phaseStart, now).toMillis();
    long remaining = (long) ((double) elapsed / done * (total - Math.min(done, total)));
    return now.plusMillis(remaining);
  }
}
