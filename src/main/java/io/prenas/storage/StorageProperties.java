package io.prenas.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.storage.*}: where artifacts live.
 *
 * @param dir the artifact directory (required; {@code application.properties} sets {@code ./data/artifacts}, env
 *     {@code PRENAS_STORAGE_DIR})
 */
@Validated
@ConfigurationProperties("prenas.storage")
public record StorageProperties(@NotNull Path dir) {}
