/**
 * Jobs: the job rows, their submission and cancellation, the JobRunr requests and handlers that run them on workers,
 * progress written back to the row, and the engine ports ({@link io.prenas.job.SelectionEngine},
 * {@link io.prenas.job.TrainingEngine}) that {@code io.prenas.system} implements. Never imports DJL.
 */
package io.prenas.job;
