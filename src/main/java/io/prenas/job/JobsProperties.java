package io.prenas.job;

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
 */
@Validated
@ConfigurationProperties("prenas.jobs")
public record JobsProperties(@DefaultValue("2s") @NotNull Duration progressInterval,
    @DefaultValue("10s") @NotNull Duration lease) {}
