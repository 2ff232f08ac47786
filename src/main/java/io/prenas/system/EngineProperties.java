package io.prenas.system;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.engine.*}: the engine as every job uses it.
 *
 * @param threads intra-op threads of the engine, set on each job's own thread ({@link EngineThreadCount}); 0: one
 *     per core. 1 makes jobs bitwise reproducible.
 */
@Validated
@ConfigurationProperties("prenas.engine")
public record EngineProperties(@DefaultValue("0") @PositiveOrZero int threads) {}
