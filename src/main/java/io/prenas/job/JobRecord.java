package io.prenas.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code jobs}: what was asked (type, space, options), where it is (state, phase, progress, ETA, metrics,
 * worker, last log lines), how it ended, and the jobs and supernet it used or made (its links). The id is also the
 * JobRunr job id. JSON columns hold JSON text.
 * Changes after the insert go through the conditional updates of {@link JobRepository}, so that the API (cancel)
 * and a worker (progress) never overwrite each other.
 */
@Entity
@Table(name = "jobs")
public class JobRecord {

  @Id
  private UUID id;

  @Enumerated(EnumType.STRING)
  @Column(name = "type", nullable = false, length = 16)
  private JobType type;

  @Enumerated(EnumType.STRING)
  @Column(name = "state", nullable = false, length = 16)
  private JobState state;

  @Column(name = "space", nullable = false, length = 64)
  private String space;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "options", nullable = false)
  private String options;

  @Column(name = "phase", length = 64)
  private String phase;

  @Column(name = "progress_done", nullable = false)
  private long progressDone;

  @Column(name = "progress_total", nullable = false)
  private long progressTotal;

  @Column(name = "eta")
  private Instant eta;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "metrics", nullable = false)
  private String metrics = "{}";

  @Column(name = "worker", length = 200)
  private String worker;

  @Column(name = "attempts", nullable = false)
  private int attempts;

  @Column(name = "cancel_requested", nullable = false)
  private boolean cancelRequested;

  @Column(name = "failure_reason")
  private String failureReason;

  /** Whether {@link #failureReason} would recur (no retry) or may pass (retried); null while nothing failed. */
  @Enumerated(EnumType.STRING)
  @Column(name = "failure_class", length = 16)
  private FailureClass failureClass;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "log_lines", nullable = false)
  private String logLines = "[]";

  @Column(name = "idempotency_key", length = 200)
  private String idempotencyKey;

  @Column(name = "checkpoint_sha256", length = 64)
  private String checkpointSha256;

  /** The selection whose preferred table this job trained or evaluated (a pipeline names itself). */
  @Column(name = "selection_job")
  private UUID selectionJob;

  /** The training or pipeline job whose supernet this evaluation evaluated. */
  @Column(name = "training_job")
  private UUID trainingJob;

  /** The supernet this job trained (training, pipeline) or evaluated (evaluation). */
  @Column(name = "supernet_sha256", length = 64)
  private String supernetSha256;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected JobRecord() {}

  JobRecord(UUID id, JobType type, String space, String options, String idempotencyKey) {
    this.id = id;
    this.type = type;
    this.state = JobState.QUEUED;
    this.space = space;
    this.options = options;
    this.idempotencyKey = idempotencyKey;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  /**
   * The row of a preferred table imported through the API rather than selected here: a selection that has already
   * succeeded (it never reaches a worker), so that everything that takes a selection job id takes it too.
   *
   * @param options what the row says it was (JSON text)
   * @param metrics its result (JSON text), like a selection's
   * @param logLinesJson its log (a JSON array of lines)
   * @param entries the table's size, shown as the row's finished progress
   */
  static JobRecord importedSelection(UUID id, String space, String options, String metrics, String logLinesJson,
      long entries) {
    JobRecord j = new JobRecord(id, JobType.SELECTION, space, options, null);
    j.state = JobState.SUCCEEDED;
    j.phase = JobPhase.IMPORT.apiName();
    j.progressDone = entries;
    j.progressTotal = entries;
    j.metrics = metrics;
    j.logLines = logLinesJson;
    j.startedAt = j.createdAt;
    j.finishedAt = j.createdAt;
    return j;
  }

  public UUID id() {
    return id;
  }

  public JobType type() {
    return type;
  }

  public JobState state() {
    return state;
  }

  public String space() {
    return space;
  }

  public String options() {
    return options;
  }

  public String phase() {
    return phase;
  }

  public long progressDone() {
    return progressDone;
  }

  public long progressTotal() {
    return progressTotal;
  }

  public Instant eta() {
    return eta;
  }

  public String metrics() {
    return metrics;
  }

  public String worker() {
    return worker;
  }

  public int attempts() {
    return attempts;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  public String failureReason() {
    return failureReason;
  }

  public FailureClass failureClass() {
    return failureClass;
  }

  public String logLines() {
    return logLines;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public String checkpointSha256() {
    return checkpointSha256;
  }

  public UUID selectionJob() {
    return selectionJob;
  }

  public UUID trainingJob() {
    return trainingJob;
  }

  public String supernetSha256() {
    return supernetSha256;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }
}
