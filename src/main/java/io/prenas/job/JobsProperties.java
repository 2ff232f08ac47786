package io.prenas.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.jobs.*}: how a worker runs jobs.
 *
 * @param progressInterval at most one progress write to a running job's row per interval
 * @param lease how long a running job stays claimed by its worker without a heartbeat; after that another worker may
 *     take it over (the worker renews it while the job runs)
 * @param maxAttempts attempts a job gets in all when its failures are transient (database outage, a dead worker,
 *     storage away): after that it ends FAILED, class TRANSIENT. A deterministic failure never gets a second one.
 * @param retryBackoffBase the n-th retry of a transient failure waits {@code retryBackoffBase^n} seconds (JobRunr's
 *     exponential backoff, its {@code jobrunr.jobs.retry-back-off-time-seed}): 3 s, 9 s, 27 s with the default 3
 */
@Validated
@ConfigurationProperties("prenas.jobs")
public record JobsProperties(@DefaultValue("2s") @NotNull Duration progressInterval,
    @DefaultValue("10s") @NotNull Duration lease,
    @DefaultValue("3") @Min(1) @Max(20) int maxAttempts,
    @DefaultValue("3") @Min(1) @Max(60) int retryBackoffBase) {}
