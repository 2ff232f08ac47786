package io.prenas.system;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code prenas.log.format} ({@code PRENAS_LOG_FORMAT}) into Spring Boot's console log format before the
 * logging system starts: {@code text} (the default) keeps the plain lines meant for people; {@code json} writes one
 * Elastic Common Schema JSON object per line, for log shippers, with the MDC (a running job's {@code jobId},
 * {@code jobType}, {@code jobPhase}) as fields. An explicit {@code logging.structured.format.console} still wins; any
 * other value stops the start with a clear message.
 */
class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String FORMAT = "prenas.log.format";
  static final String CONSOLE_FORMAT = "logging.structured.format.console";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String format = env.getProperty(FORMAT, "text").trim().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException(FORMAT + " must be text or json, got '" + env.getProperty(FORMAT) + "'");
    }
    if (format.equals("json") && env.getProperty(CONSOLE_FORMAT) == null) {
      env.getPropertySources().addLast(new MapPropertySource("prenasLogFormat", Map.of(CONSOLE_FORMAT, "ecs")));
    }
  }
}
