package io.prenas.job;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code prenas.worker.*}: what a worker can give one job, and where the job's engine work runs.
 *
 * @param memoryBudget memory for the engine's tensors of one job (weights, gradients, optimiser state,
 *     activations); unset: the machine's or container's memory less the JVM's maximum heap and 512 MB for the
 *     rest of the process ({@link JobMemory#defaultBudget})
 * @param isolation {@code process}: each job's engine work (gradient pass and scoring, training, evaluation,
 *     export) runs in a JVM of its own under memory limits ({@code prenas.worker.child.*}), so a job that runs out
 *     of memory fails alone; {@code in-process}: in the worker's own JVM. Empty: {@code process} on role {@code all}
 *     (the HTTP server shares the JVM), {@code in-process} on role {@code worker} (a node that only runs jobs)
 */
@ConfigurationProperties("prenas.worker")
public record WorkerProperties(DataSize memoryBudget, @DefaultValue("") String isolation) {

  public WorkerProperties {
    isolation = isolation == null ? "" : isolation.strip().toLowerCase(Locale.ROOT);
    if (!isolation.isEmpty() && !isolation.equals("process") && !isolation.equals("in-process")) {
      throw new IllegalArgumentException("prenas.worker.isolation must be process or in-process, got '"
          + isolation + "'");
    }
  }

  /** Whether jobs run their engine work in a process of their own on a node of this role. */
  public boolean isolatedProcess(String role) {
    return isolation.isEmpty() ? "all".equals(role) : isolation.equals("process");
  }
}
