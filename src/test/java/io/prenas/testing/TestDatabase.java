package io.prenas.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Where the tests' PostgreSQL comes from. With a Docker engine reachable, every test context gets a fresh database
 * in one PostgreSQL container (Testcontainers, started once per test JVM); without one, the application's own
 * embedded default (zonky: real PostgreSQL binaries) starts a throw-away server per context. Never an in-memory
 * substitute. {@code -Dprenas.test.database=zonky|testcontainers} forces a choice; a test that sets
 * {@code spring.datasource.url} itself (a server it stops and restarts) is left alone.
 */
public final class TestDatabase implements EnvironmentPostProcessor {

  static final String CHOICE = "prenas.test.database";
  private static final String IMAGE = "postgres:16-alpine";

  private static PostgreSQLContainer<?> container;

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (StringUtils.hasText(env.getProperty("spring.datasource.url")) || !useContainer()) {
      return;
    }
    PostgreSQLContainer<?> pg = container();
    String database = "test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create a test database in the PostgreSQL container", e);
    }
    String url = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)
        + "/" + database;
    env.getPropertySources().addFirst(new MapPropertySource("testcontainers-postgresql", Map.of(
        "spring.datasource.url", url,
        "spring.datasource.username", pg.getUsername(),
        "spring.datasource.password", pg.getPassword())));
  }

  /** True for a database in a container: asked for, or {@code auto} (the default) with an engine reachable. */
  static boolean useContainer() {
    String choice = System.getProperty(CHOICE, "auto").toLowerCase(Locale.ROOT);
    return switch (choice) {
      case "zonky" -> false;
      case "testcontainers" -> true;
      default -> engineLikely() && DockerClientFactory.instance().isDockerAvailable();
    };
  }

  /** Skips Testcontainers' slower probing on machines with no sign of a Docker engine at all. */
  private static boolean engineLikely() {
    return StringUtils.hasText(System.getenv("DOCKER_HOST")) || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
  }

  private static synchronized PostgreSQLContainer<?> container() {
    if (container == null) {
      container = new PostgreSQLContainer<>(IMAGE);
      container.start(); // stopped with the JVM by Testcontainers' reaper
    }
    return container;
  }
}
