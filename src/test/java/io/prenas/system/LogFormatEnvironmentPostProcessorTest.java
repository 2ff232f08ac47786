package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class LogFormatEnvironmentPostProcessorTest {

  private final LogFormatEnvironmentPostProcessor processor = new LogFormatEnvironmentPostProcessor();

  @Test
  void jsonSelectsEcsConsoleLogsAndTextKeepsPlainLines() {
    assertThat(consoleFormat(Map.of())).isNull();
    assertThat(consoleFormat(Map.of("prenas.log.format", "text"))).isNull();
    assertThat(consoleFormat(Map.of("prenas.log.format", "JSON"))).isEqualTo("ecs");
  }

  @Test
  void anExplicitSpringBootFormatWins() {
    assertThat(consoleFormat(Map.of("prenas.log.format", "json",
        LogFormatEnvironmentPostProcessor.CONSOLE_FORMAT, "logstash"))).isEqualTo("logstash");
  }

  @Test
  void anUnknownFormatStopsTheStart() {
    assertThatThrownBy(() -> consoleFormat(Map.of("prenas.log.format", "xml")))
        .hasMessageContaining("prenas.log.format must be text or json");
  }

  private String consoleFormat(Map<String, Object> props) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", props));
    processor.postProcessEnvironment(env, new SpringApplication());
    return env.getProperty(LogFormatEnvironmentPostProcessor.CONSOLE_FORMAT);
  }
}
