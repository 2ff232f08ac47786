package io.prenas.security;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.security.*}: who may call the API.
 *
 * @param enabled false turns every key check off (local development only; a warning is logged)
 * @param apiKeys comma-separated {@code <name>:<scope>:<sha256-hex>} entries ({@link ApiKeys#parse}); none: a random
 *     write key is generated at startup and logged once
 * @param readAccess reads under {@code /api}: {@code open}, or {@code key} (a read or write key)
 * @param protectMetrics whether {@code /actuator/prometheus} needs a key
 */
@Validated
@ConfigurationProperties("prenas.security")
record SecurityProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("") String apiKeys,
    @DefaultValue("open") @NotNull
    @Pattern(regexp = "\\s*(open|key)\\s*", message = "must be open or key") String readAccess,
    @DefaultValue("false") boolean protectMetrics) {

  SecurityProperties {
    apiKeys = apiKeys == null ? "" : apiKeys;
  }

  /** True when reads under {@code /api} need a key ({@code read-access=key}). */
  boolean readNeedsKey() {
    return switch (readAccess.strip()) {
      case "open" -> false;
      case "key" -> true;
      default -> throw new IllegalArgumentException("prenas.security.read-access must be open or key, not '"
          + readAccess + "'");
    };
  }
}
