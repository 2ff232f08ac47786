package io.prenas.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The catalog version's push (V7): a node trusts the version it took in only within its lease, a change returns to
 * its writer only once every node with a live lease has taken it in, and a running watch has taken in a change by
 * the time its writer returns.
 */
// A PostgreSQL of its own and no Spring context, as the migration tests.
class CatalogVersionPushTest {

  static TestPostgres postgres;
  static DataSource dataSource;
  static JdbcTemplate jdbc;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start();
    dataSource = postgres.dataSource();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = new JdbcTemplate(dataSource);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void noNodes() {
    jdbc.update("DELETE FROM catalog_listeners");
  }

  @Test
  void aNodeTrustsTheVersionItTookInOnlyWithinItsLease() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    CatalogVersionWatch watch = new CatalogVersionWatch(dataSource, true, clock::get);
    assertThat(watch.version()).as("before its first heartbeat").isEmpty();
    long current = jdbc.queryForObject("SELECT version FROM model_catalog_version", Long.class);
    try (Connection c = dataSource.getConnection();
        PreparedStatement read = c.prepareStatement("SELECT version FROM model_catalog_version WHERE id = 1");
        PreparedStatement ack = c.prepareStatement(CatalogVersionWatch.ACK)) {
      watch.heartbeat(read, ack);
    }
    assertThat(watch.version()).hasValue(current);
    assertThat(jdbc.queryForObject("SELECT acked_version FROM catalog_listeners", Long.class)).isEqualTo(current);
    clock.addAndGet(Duration.ofMillis(2_400).toNanos());
    assertThat(watch.version()).as("2.4 s on: within the lease less its margin").hasValue(current);
    clock.addAndGet(Duration.ofMillis(200).toNanos());
    assertThat(watch.version()).as("2.6 s on: the writers' 3 s lease is near, so not trusted any more").isEmpty();
  }

  @Test
  void aChangeReturnsOnlyOnceEveryNodeWithALiveLeaseHasTakenItIn() {
    CatalogListeners listeners = new CatalogListeners(dataSource);
    jdbc.update("INSERT INTO catalog_listeners VALUES ('behind', 4, now())");
    long t0 = System.nanoTime();
    listeners.awaitTakenIn(5);
    double waited = (System.nanoTime() - t0) / 1e9;
    assertThat(waited).as("a live node behind: waited until its lease ran out").isBetween(2.5, 5.5);

    jdbc.update("UPDATE catalog_listeners SET acked_version = 5, seen_at = now()");
    t0 = System.nanoTime();
    listeners.awaitTakenIn(5);
    assertThat((System.nanoTime() - t0) / 1e9).as("every live node has it").isLessThan(1.0);

    jdbc.update("UPDATE catalog_listeners SET acked_version = 1, seen_at = now() - interval '10 seconds'");
    t0 = System.nanoTime();
    listeners.awaitTakenIn(5);
    assertThat((System.nanoTime() - t0) / 1e9).as("a dead node's lease has run out").isLessThan(1.0);
  }

  @Test
  void aRunningWatchHasTakenInAChangeWhenItsWriterReturns() throws Exception {
    CatalogVersionWatch watch = new CatalogVersionWatch(dataSource, true, System::nanoTime);
    CatalogListeners listeners = new CatalogListeners(dataSource);
    watch.start();
    try {
      WatchLeases.await(watch);
      Releases releases = new Releases(jdbc, listeners);
      for (int i = 0; i < 5; i++) {
        // outside a transaction the writer waits at once, as it does after a commit
        long t0 = System.nanoTime();
        releases.bumpVersion();
        assertThat((System.nanoTime() - t0) / 1e9).as("the notification, not the lease, ended the wait")
            .isLessThan(2.0);
        assertThat(watch.version()).hasValue(releases.version());
      }
    } finally {
      watch.stop();
    }
    assertThat(watch.version()).as("a stopped watch vouches for nothing").isEmpty();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM catalog_listeners", Long.class))
        .as("and writers no longer wait for it").isZero();
  }
}
