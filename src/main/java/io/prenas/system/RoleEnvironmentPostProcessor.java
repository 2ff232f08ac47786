package io.prenas.system;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code prenas.role} into JobRunr's switches: {@code api} serves HTTP and only enqueues jobs; {@code worker}
 * and {@code all} (the default) also run the background job server. An explicit
 * {@code jobrunr.background-job-server.enabled} still wins. The JobRunr dashboard runs only on workers and only when
 * {@code prenas.dashboard.enabled} is true: on {@code api} it stays off whatever the settings say (an API node has no
 * jobs of its own to show, and its port is not meant to be opened). It is served by {@link DashboardServer}
 * ({@code prenas.dashboard.active}), never by JobRunr's own dashboard server, which binds every interface: that one
 * is switched off whatever {@code jobrunr.dashboard.enabled} says. Any other role, or a dashboard switch that is not
 * true or false, stops the start with a clear message.
 */
class RoleEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String ROLE = "prenas.role";
  static final String SERVER_ENABLED = "jobrunr.background-job-server.enabled";
  static final String DASHBOARD = "prenas.dashboard.enabled";
  static final String JOBRUNR_DASHBOARD = "jobrunr.dashboard.enabled";
  static final String DASHBOARD_ACTIVE = "prenas.dashboard.active";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String role = env.getProperty(ROLE, "all").trim().toLowerCase(Locale.ROOT);
    if (!role.equals("api") && !role.equals("worker") && !role.equals("all")) {
      throw new IllegalArgumentException(ROLE + " must be api, worker or all, got '" + env.getProperty(ROLE) + "'");
    }
    boolean worker = !role.equals("api");
    if (env.getProperty(SERVER_ENABLED) == null) {
      env.getPropertySources().addLast(new MapPropertySource("prenasRole",
          Map.of(SERVER_ENABLED, String.valueOf(worker))));
    }
    // First, so that nothing overrides them: prenas.dashboard.enabled is the one switch.
    env.getPropertySources().addFirst(new MapPropertySource("prenasDashboard",
        Map.of(JOBRUNR_DASHBOARD, "false", DASHBOARD_ACTIVE, String.valueOf(worker && dashboardWanted(env)))));
  }

  private static boolean dashboardWanted(ConfigurableEnvironment env) {
    String v = env.getProperty(DASHBOARD, "false").trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(DASHBOARD + " must be true or false, got '" + env.getProperty(DASHBOARD)
          + "'");
    }
    return v.equals("true");
  }
}
