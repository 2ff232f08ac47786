package io.prenas.job;

import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The running job's id, type and phase in the SLF4J MDC of the thread that runs it, so that every log line written
 * while a job runs can be traced to it: structured (JSON) logs carry them as the fields {@value #JOB_ID},
 * {@value #JOB_TYPE} and {@value #JOB_PHASE}. Opened by {@link JobRunner} around a job, which restores the thread's
 * previous MDC afterwards (JobRunr reuses its worker threads).
 */
final class JobLogContext implements AutoCloseable {

  static final String JOB_ID = "jobId";
  static final String JOB_TYPE = "jobType";
  static final String JOB_PHASE = "jobPhase";

  private final Map<String, String> outer;

  private JobLogContext(UUID jobId) {
    this.outer = MDC.getCopyOfContextMap();
    MDC.put(JOB_ID, jobId.toString());
  }

  static JobLogContext open(UUID jobId) {
    return new JobLogContext(jobId);
  }

  static void type(JobType type) {
    MDC.put(JOB_TYPE, type.apiName());
  }

  static void phase(String phase) {
    if (phase == null) {
      MDC.remove(JOB_PHASE);
    } else {
      MDC.put(JOB_PHASE, phase);
    }
  }

  @Override
  public void close() {
    if (outer == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(outer);
    }
  }
}
