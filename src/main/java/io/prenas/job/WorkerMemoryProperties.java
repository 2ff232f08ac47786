package io.prenas.job;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code prenas.worker.*}: what a worker can give one job.
 *
 * @param memoryBudget memory for the engine's tensors of one job (weights, gradients, optimiser state,
 *     activations); unset: the machine's or container's memory less the JVM's maximum heap and 512 MB for the
 *     rest of the process ({@link JobMemory#defaultBudget})
 */
@ConfigurationProperties("prenas.worker")
public record WorkerMemoryProperties(DataSize memoryBudget) {}
