package io.prenas.catalog;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.catalog.*}: the in-memory catalog indexes.
 *
 * @param refresh how often {@link BudgetIndex} checks for models published by another process (at least 50 ms)
 */
@Validated
@ConfigurationProperties("prenas.catalog")
record CatalogProperties(@DefaultValue("1s") @NotNull Duration refresh) {}
