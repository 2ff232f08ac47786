package io.prenas.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.prenas.job.JobRepository;
import io.prenas.job.JobState;
import io.prenas.job.JobType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gauges over the {@code jobs} table: {@code prenas_jobs{state,type}} (one series per state and type, zeros included,
 * so a dashboard never sees a series vanish) and {@code prenas_jobs_queued} (the queue length: rows waiting for a
 * worker). All series read one snapshot taken by a single GROUP BY query and reused for {@code refresh}, so a scrape
 * costs at most one query however many series it reads, and scrapes closer together cost none. While the database
 * cannot be read the gauges are NaN rather than stale numbers.
 */
@Component
class JobStateMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(JobStateMetrics.class);

  private final JobRepository jobs;
  private final long refreshNanos;

  private Map<JobState, Map<JobType, Long>> counts;
  private long takenAt;
  private boolean taken;

  JobStateMetrics(JobRepository jobs, MeterRegistry registry, MetricsProperties properties) {
    this.jobs = jobs;
    this.refreshNanos = properties.jobsRefresh().toNanos();
    for (JobState state : JobState.values()) {
      for (JobType type : JobType.values()) {
        Gauge.builder("prenas.jobs", this, m -> m.count(state, type))
            .description("Jobs by state and type (rows of the jobs table)")
            .tags("state", state.name(), "type", type.apiName())
            .register(registry);
      }
    }
    Gauge.builder("prenas.jobs.queued", this, m -> m.queued())
        .description("Jobs waiting for a worker (state QUEUED)")
        .register(registry);
  }

  double count(JobState state, JobType type) {
    Map<JobState, Map<JobType, Long>> c = snapshot();
    return c == null ? Double.NaN : c.get(state).get(type);
  }

  double queued() {
    Map<JobState, Map<JobType, Long>> c = snapshot();
    return c == null ? Double.NaN : c.get(JobState.QUEUED).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The cached counts, re-read when older than the refresh interval; {@code null} when the last read failed. */
  private synchronized Map<JobState, Map<JobType, Long>> snapshot() {
    long now = System.nanoTime();
    if (!taken || now - takenAt >= refreshNanos) {
      taken = true;
      takenAt = now;
      counts = read();
    }
    return counts;
  }

  private Map<JobState, Map<JobType, Long>> read() {
    List<Object[]> rows;
    try {
      rows = jobs.countByStateAndType();
    } catch (RuntimeException e) { // the database is down: health says so; the metrics must not fail the scrape
      LOG.warn("job metrics: could not count jobs: {}", e.getMessage());
      return null;
    }
    Map<JobState, Map<JobType, Long>> c = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      Map<JobType, Long> byType = new EnumMap<>(JobType.class);
      for (JobType type : JobType.values()) {
        byType.put(type, 0L);
      }
      c.put(state, byType);
    }
    for (Object[] row : rows) {
      JobState state = JobState.parse((String) row[0]);
      JobType type = JobType.fromApiName((String) row[1]);
      if (state != null && type != null) {
        c.get(state).put(type, ((Number) row[2]).longValue());
      }
    }
    return c;
  }
}
