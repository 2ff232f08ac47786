package io.prenas.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.data.*}: where datasets live. Jobs only read folders under this directory (a job option names a path
 * relative to it); the demo seeder puts its data there.
 *
 * @param dir the dataset root (env {@code PRENAS_DATA_DIR})
 */
@Validated
@ConfigurationProperties("prenas.data")
public record DatasetProperties(@DefaultValue("./data/datasets") @NotNull Path dir) {}
