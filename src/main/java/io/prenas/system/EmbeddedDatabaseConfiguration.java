package io.prenas.system;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The embedded default: with no {@code spring.datasource.url}, starts a PostgreSQL server (zonky binaries) whose data
 * lives in {@code prenas.db.embedded.dir} (kept between runs) and connects to its {@code prenas} database. A blank
 * directory gives a throw-away database in a temporary directory (used by the tests). With a URL configured this
 * class does nothing and Spring Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatasourceUrl.class)
class EmbeddedDatabaseConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
  static final String DATABASE = "prenas";

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
    String dir = properties.dir();
    int port = properties.port();
    boolean persistent = StringUtils.hasText(dir);
    Path dataDir = persistent ? Path.of(dir).toAbsolutePath().normalize() : Files.createTempDirectory("prenas-pg-");
    Files.createDirectories(dataDir);
    stopStaleServer(dataDir);
    // zonky unpacks its binaries once (java.io.tmpdir/embedded-pg) and, when the JVM runs as root, starts initdb and
    // pg_ctl through "unshare -U" (PostgreSQL refuses to run as root; the new user namespace makes it the overflow user).
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(!persistent)
        // Spring stops the server (destroyMethod) after the beans that use it, JobRunr's server among them. zonky's
        // own JVM hook would stop it concurrently, leaving JobRunr to wait out a connection timeout at exit.
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setLocaleConfig("locale", "C");
    if (port > 0) {
      builder.setPort(port);
    }
    if (persistent) {
      // zonky starts PostgreSQL with fsync off (test speed); a database kept between runs must survive a crash.
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    EmbeddedPostgres pg = builder.start();
    createDatabase(pg);
    LOG.info("Embedded PostgreSQL on port {} with data in {}{}", pg.getPort(), dataDir,
        persistent ? "" : " (temporary)");
    return pg;
  }

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(EmbeddedPostgres pg) {
    return DataSourceBuilder.create().type(HikariDataSource.class)
        .url(pg.getJdbcUrl("postgres", DATABASE))
        .username("postgres")
        .build();
  }

  private static void createDatabase(EmbeddedPostgres pg) throws IOException {
    DataSource admin = pg.getPostgresDatabase();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IOException("cannot create the database '" + DATABASE + "' in the embedded PostgreSQL", e);
    }
  }

  /**
   * A JVM killed without its shutdown hook leaves its postmaster running on the data directory; ask it to shut down
   * (SIGTERM, a smart shutdown: its clients died with that JVM) so that this start does not fail with "another server
   * might be running".
   */
  private static void stopStaleServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    } catch (RuntimeException e) {
      return; // unreadable: leave it to PostgreSQL, which removes a stale file itself
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    LOG.warn("Stopping the PostgreSQL server (pid {}) left running on {} by an earlier run", pid, dataDir);
    process.get().destroy();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("a PostgreSQL server (pid " + pid + ") still runs on " + dataDir
          + "; stop it or choose another prenas.db.embedded.dir", e);
    }
  }

  /** Matches when no {@code spring.datasource.url} is configured. */
  static final class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
    }
  }
}
