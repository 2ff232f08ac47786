package io.prenas.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.db.embedded.*}: the embedded PostgreSQL used when no {@code spring.datasource.url} is set
 * ({@link EmbeddedDatabaseConfiguration}).
 *
 * @param dir data directory, kept between runs (env {@code PRENAS_DB_DIR}); blank: a throw-away temporary one
 * @param port server port; 0: a free one
 */
@Validated
@ConfigurationProperties("prenas.db.embedded")
record EmbeddedDatabaseProperties(
    @DefaultValue("") String dir,
    @DefaultValue("0") @PositiveOrZero @Max(65535) int port) {}
