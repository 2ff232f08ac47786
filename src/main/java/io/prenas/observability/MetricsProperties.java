package io.prenas.observability;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.metrics.*}: the server's own gauges.
 *
 * @param jobsRefresh how long one read of the jobs table serves {@code prenas_jobs} and {@code prenas_jobs_queued}
 */
@Validated
@ConfigurationProperties("prenas.metrics")
record MetricsProperties(@DefaultValue("5s") @NotNull Duration jobsRefresh) {}
