package io.prenas.catalog;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.upload.*}: uploads into the catalog (supernet weights).
 *
 * @param maxSize largest accepted upload; the servlet's multipart limits follow it ({@code application.properties})
 */
@Validated
@ConfigurationProperties("prenas.upload")
public record UploadProperties(@DefaultValue("2GB") @NotNull DataSize maxSize) {}
