package io.prenas.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rows of {@code jobs}. Every change after the insert is one conditional UPDATE (it names the states it may change),
 * so a cancel from the API and progress from a worker cannot lose each other's writes.
 */
public interface JobRepository extends JpaRepository<JobRecord, UUID> {

  Optional<JobRecord> findByIdempotencyKey(String key);

  @Query("""
      SELECT j FROM JobRecord j
      WHERE (:state IS NULL OR j.state = :state)
        AND (:type IS NULL OR j.type = :type)
        AND (:space IS NULL OR j.space = :space)""")
  Page<JobRecord> search(@Param("state") JobState state, @Param("type") JobType type, @Param("space") String space,
      Pageable page);

  /** The newest succeeded job of a type in a space (e.g. the selection whose preferred table is current). */
  Optional<JobRecord> findFirstBySpaceAndTypeAndStateOrderByFinishedAtDesc(String space, JobType type, JobState state);

  /**
   * Claims a job for a worker: a queued one, or a running one whose worker is this one (restarted) or has not
   * renewed its lease since {@code staleBefore} (it died). A job held by a live worker is never claimed twice.
   */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET state = 'RUNNING', worker = :worker, attempts = attempts + 1,
        started_at = COALESCE(started_at, :now), updated_at = :now, failure_reason = NULL,
        failure_class = NULL
      WHERE id = :id AND NOT cancel_requested
        AND (state = 'QUEUED' OR (state = 'RUNNING' AND (worker = :worker OR updated_at < :staleBefore)))""",
      nativeQuery = true)
  int markRunning(@Param("id") UUID id, @Param("worker") String worker, @Param("now") Instant now,
      @Param("staleBefore") Instant staleBefore);

  /** The running worker's lease: a row it has not touched since {@code staleBefore} may be taken over. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET updated_at = :now WHERE id = :id AND state = 'RUNNING' AND worker = :worker""",
      nativeQuery = true)
  int heartbeat(@Param("id") UUID id, @Param("worker") String worker, @Param("now") Instant now);

  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET phase = :phase, progress_done = :done, progress_total = :total, eta = :eta, updated_at = :now
      WHERE id = :id AND state = 'RUNNING'""", nativeQuery = true)
  int progress(@Param("id") UUID id, @Param("phase") String phase, @Param("done") long done,
      @Param("total") long total, @Param("eta") Instant eta, @Param("now") Instant now);

  /** Progress and merged metrics in one write. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET phase = :phase, progress_done = :done, progress_total = :total, eta = :eta,
        metrics = metrics || CAST(:metrics AS jsonb), updated_at = :now
      WHERE id = :id AND state = 'RUNNING'""", nativeQuery = true)
  int progressWithMetrics(@Param("id") UUID id, @Param("phase") String phase, @Param("done") long done,
      @Param("total") long total, @Param("eta") Instant eta, @Param("metrics") String metricsJson,
      @Param("now") Instant now);

  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET metrics = metrics || CAST(:metrics AS jsonb), updated_at = :now
      WHERE id = :id AND state = 'RUNNING'""", nativeQuery = true)
  int mergeMetrics(@Param("id") UUID id, @Param("metrics") String metricsJson, @Param("now") Instant now);

  /** Appends a line and keeps the last {@code keep} lines. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET updated_at = :now, log_lines = (
        SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]'::jsonb) FROM (
          SELECT e, n FROM jsonb_array_elements(log_lines || jsonb_build_array(CAST(:line AS text)))
            WITH ORDINALITY AS t(e, n)
          ORDER BY n DESC LIMIT :keep) last_lines)
      WHERE id = :id""", nativeQuery = true)
  int appendLog(@Param("id") UUID id, @Param("line") String line, @Param("keep") int keep, @Param("now") Instant now);

  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET checkpoint_sha256 = :sha, updated_at = :now WHERE id = :id""", nativeQuery = true)
  int checkpoint(@Param("id") UUID id, @Param("sha") String sha256, @Param("now") Instant now);

  /** Links a running job to the selection whose preferred table it uses. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET selection_job = :selection, updated_at = :now WHERE id = :id AND state = 'RUNNING'""",
      nativeQuery = true)
  int linkSelection(@Param("id") UUID id, @Param("selection") UUID selectionJob, @Param("now") Instant now);

  /** Links a running evaluation to the training (or pipeline) whose supernet it evaluates. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET training_job = :training, updated_at = :now WHERE id = :id AND state = 'RUNNING'""",
      nativeQuery = true)
  int linkTraining(@Param("id") UUID id, @Param("training") UUID trainingJob, @Param("now") Instant now);

  /** Records the supernet artifact a running job trained or evaluates. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET supernet_sha256 = :sha, updated_at = :now WHERE id = :id AND state = 'RUNNING'""",
      nativeQuery = true)
  int linkSupernet(@Param("id") UUID id, @Param("sha") String sha256, @Param("now") Instant now);

  /** Ends a running job (SUCCEEDED, FAILED or CANCELLED); its failure class is cleared. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET state = :state, failure_reason = :reason, failure_class = NULL, finished_at = :now,
        updated_at = :now, eta = NULL
      WHERE id = :id AND state IN ('QUEUED', 'RUNNING')""", nativeQuery = true)
  int finish(@Param("id") UUID id, @Param("state") String state, @Param("reason") String reason,
      @Param("now") Instant now);

  /** Ends a job FAILED, saying why and whether that cause would recur ({@link FailureClass}). */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET state = 'FAILED', failure_reason = :reason, failure_class = :failureClass, finished_at = :now,
        updated_at = :now, eta = NULL
      WHERE id = :id AND state IN ('QUEUED', 'RUNNING')""", nativeQuery = true)
  int fail(@Param("id") UUID id, @Param("reason") String reason, @Param("failureClass") String failureClass,
      @Param("now") Instant now);

  /** A transient failure that JobRunr will retry: back to QUEUED with the reason of the last failure. */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET state = 'QUEUED', failure_reason = :reason, failure_class = 'TRANSIENT', updated_at = :now,
        eta = NULL
      WHERE id = :id AND state = 'RUNNING'""", nativeQuery = true)
  int requeue(@Param("id") UUID id, @Param("reason") String reason, @Param("now") Instant now);

  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET state = 'CANCELLED', cancel_requested = TRUE, finished_at = :now, updated_at = :now
      WHERE id = :id AND state = 'QUEUED'""", nativeQuery = true)
  int cancelQueued(@Param("id") UUID id, @Param("now") Instant now);

  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      UPDATE jobs SET cancel_requested = TRUE, updated_at = :now
      WHERE id = :id AND state = 'RUNNING'""", nativeQuery = true)
  int requestCancel(@Param("id") UUID id, @Param("now") Instant now);

  /** Rows per state and type, one GROUP BY (for the metrics): each element is {state, type, count}. */
  @Query(value = "SELECT state, type, COUNT(*) FROM jobs GROUP BY state, type", nativeQuery = true)
  List<Object[]> countByStateAndType();

  @Query(value = "SELECT cancel_requested FROM jobs WHERE id = :id", nativeQuery = true)
  Boolean cancelRequested(@Param("id") UUID id);
}
