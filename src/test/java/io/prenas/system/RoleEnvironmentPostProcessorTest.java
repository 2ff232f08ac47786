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
  void anUnknownRoleStopsTheStart() {
    assertThatThrownBy(() -> serverEnabled(Map.of("prenas.role", "scheduler")))
        .hasMessageContaining("prenas.role must be api, worker or all");
  }

  private String serverEnabled(Map<String, Object> props) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", props));
    processor.postProcessEnvironment(env, new SpringApplication());
    return env.getProperty(RoleEnvironmentPostProcessor.SERVER_ENABLED);
  }
}
