package io.prenas.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server owned by a test rather than by the application context, on a fixed port and data
 * directory, so that the test can stop and start it under a running server, or share it with worker processes.
 */
public final class TestPostgres implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres pg;

  private TestPostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a fresh server on a free port. */
  public static TestPostgres start() throws IOException {
    TestPostgres t = new TestPostgres(Files.createTempDirectory("prenas-test-pg-"), freePort());
    t.startAgain();
    return t;
  }

  /** (Re)starts the server on the same port and data directory; the data survive a stop. */
  public synchronized void startAgain() throws IOException {
    if (pg != null) {
      throw new IllegalStateException("already running");
    }
    pg = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setRegisterShutdownHook(true)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setLocaleConfig("locale", "C")
        .start();
  }

  /** Stops the server (a fast shutdown: open connections are cut, as in a real restart). */
  public synchronized void stop() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  public String username() {
    return "postgres";
  }

  /** A plain, unpooled data source on this database (tests without a Spring context). */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl());
    ds.setUser(username());
    return ds;
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
