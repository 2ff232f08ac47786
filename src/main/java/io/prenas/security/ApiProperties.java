package io.prenas.security;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.api.*}: limits of the HTTP API that the API-key filter enforces before a controller runs.
 *
 * @param maxBodySize largest request body read into memory (JSON and YAML requests); larger ones are answered 413
 */
@Validated
@ConfigurationProperties("prenas.api")
record ApiProperties(@DefaultValue("1MB") @NotNull DataSize maxBodySize) {}
