package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class RoleEnvironmentPostProcessorTest {

  private final RoleEnvironmentPostProcessor processor = new RoleEnvironmentPostProcessor();

  @Test
  void onlyWorkersRunTheBackgroundJobServer() {
    assertThat(serverEnabled(Map.of())).isEqualTo("true");
    assertThat(serverEnabled(Map.of("prenas.role", "all"))).isEqualTo("true");
    assertThat(serverEnabled(Map.of("prenas.role", "worker"))).isEqualTo("true");
    assertThat(serverEnabled(Map.of("prenas.role", "API"))).isEqualTo("false");
  }

  @Test
  void anExplicitJobRunrSettingWins() {
    assertThat(serverEnabled(Map.of("prenas.role", "worker",
        RoleEnvironmentPostProcessor.SERVER_ENABLED, "false"))).isEqualTo("false");
  }

  @Test
  void theDashboardRunsOnlyOnWorkersThatAskForIt() {
    assertThat(dashboard(Map.of())).as("off by default").isEqualTo("false");
    assertThat(dashboard(Map.of("prenas.role", "worker", "prenas.dashboard.enabled", "true"))).isEqualTo("true");
    assertThat(dashboard(Map.of("prenas.dashboard.enabled", "TRUE"))).as("role all is a worker").isEqualTo("true");
    assertThat(dashboard(Map.of("prenas.role", "worker", "prenas.dashboard.enabled", "false"))).isEqualTo("false");
    assertThat(dashboard(Map.of("prenas.role", "api", "prenas.dashboard.enabled", "true"))).isEqualTo("false");
  }

  @Test
  void onTheApiRoleNoSettingTurnsTheDashboardOn() {
    assertThat(dashboard(Map.of("prenas.role", "api", "prenas.dashboard.enabled", "true",
        RoleEnvironmentPostProcessor.JOBRUNR_DASHBOARD, "true"))).isEqualTo("false");
    assertThat(dashboard(Map.of("prenas.role", "worker", "prenas.dashboard.enabled", "false",
        RoleEnvironmentPostProcessor.JOBRUNR_DASHBOARD, "true"))).as("prenas.dashboard.enabled is the one switch")
        .isEqualTo("false");
  }

  @Test
  void aDashboardSwitchThatIsNotABooleanStopsTheStart() {
    assertThatThrownBy(() -> dashboard(Map.of("prenas.dashboard.enabled", "yes")))
        .hasMessageContaining("prenas.dashboard.enabled must be true or false");
  }

  @Test
  void anUnknownRoleStopsTheStart() {
    assertThatThrownBy(() -> serverEnabled(Map.of("prenas.role", "scheduler")))
        .hasMessageContaining("prenas.role must be api, worker or all");
  }

  private String serverEnabled(Map<String, Object> props) {
    return processed(props).getProperty(RoleEnvironmentPostProcessor.SERVER_ENABLED);
  }

  private String dashboard(Map<String, Object> props) {
    StandardEnvironment env = processed(props);
    assertThat(env.getProperty(RoleEnvironmentPostProcessor.JOBRUNR_DASHBOARD))
        .as("JobRunr's own dashboard server (bound to every interface) never runs").isEqualTo("false");
    return env.getProperty(RoleEnvironmentPostProcessor.DASHBOARD_ACTIVE);
  }

  private StandardEnvironment processed(Map<String, Object> props) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", props));
    processor.postProcessEnvironment(env, new SpringApplication());
    return env;
  }
}
