package io.prenas.system;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code prenas.role} into JobRunr's switch: {@code api} serves HTTP and only enqueues jobs; {@code worker}
 * and {@code all} (the default) also run the background job server. An explicit
 * {@code jobrunr.background-job-server.enabled} still wins. Any other role stops the start with a clear message.
 */
class RoleEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String ROLE = "prenas.role";
  static final String SERVER_ENABLED = "jobrunr.background-job-server.enabled";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String role = env.getProperty(ROLE, "all").trim().toLowerCase(Locale.ROOT);
    if (!role.equals("api") && !role.equals("worker") && !role.equals("all")) {
      throw new IllegalArgumentException(ROLE + " must be api, worker or all, got '" + env.getProperty(ROLE) + "'");
    }
    if (env.getProperty(SERVER_ENABLED) == null) {
      env.getPropertySources().addLast(new MapPropertySource("prenasRole",
          Map.of(SERVER_ENABLED, String.valueOf(!role.equals("api")))));
    }
  }
}
