package io.prenas.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's side of the catalog version's push: the newest {@code model_catalog_version} this node has taken in,
 * valid while its lease in {@code catalog_listeners} is, so that a budget lookup needs no database round trip.
 *
 * <p>One thread holds a connection that LISTENs on {@link CatalogListeners#CHANNEL}. Each round it reads the version,
 * keeps it, records it with a fresh {@code seen_at} (the lease), and then waits for a notification or one second.
 * Writers wait until every node with a live lease has recorded their version ({@link CatalogListeners}), so once a
 * withdrawal has returned, every node answering from here has it. The node trusts its copy only until its lease,
 * counted from before the round's first statement, would run out with a margin; after a database error it stops at
 * once. Without a valid copy {@link #version()} is empty and the lookup reads the row itself, as every lookup used to.
 * Role {@code worker} answers no lookups and runs no watch.
 */
@Component
public class CatalogVersionWatch implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogVersionWatch.class);
  /** Trust ends this long before the lease as writers count it (clock rates, the heartbeat's own round trip). */
  private static final long MARGIN_NANOS = 500_000_000L;
  private static final long HEARTBEAT_MILLIS = 1000;
  private static final long NETWORK_TIMEOUT_MILLIS = 10_000;
  static final String ACK = """
      INSERT INTO catalog_listeners (node_id, acked_version, seen_at) VALUES (?, ?, now())
      ON CONFLICT (node_id) DO UPDATE
      SET acked_version = GREATEST(catalog_listeners.acked_version, EXCLUDED.acked_version), seen_at = now()""";

  private final DataSource dataSource;
  private final boolean enabled;
  private final String node = UUID.randomUUID().toString();
  private final LongSupplier clock;
  private volatile long known;
  /** System.nanoTime() until which {@link #known} may be trusted; 0: not at all. */
  private volatile long trustedUntil;
  private volatile boolean running;
  /** Set by {@link #stop}: a stopping node has taken its lease back, and writers no longer wait for it. */
  private volatile boolean stopped;
  private Thread thread;

  @Autowired
  CatalogVersionWatch(DataSource dataSource, @Value("${prenas.role:all}") String role,
      @Value("${prenas.catalog.watch.enabled:true}") boolean enabled) {
    // the role's own bean lives in system, which depends on catalog: read the setting itself
    this(dataSource, enabled && !"worker".equals(role.strip().toLowerCase(Locale.ROOT)), System::nanoTime);
  }

  CatalogVersionWatch(DataSource dataSource, boolean enabled, LongSupplier clock) {
    this.dataSource = dataSource;
    this.enabled = enabled;
    this.clock = clock;
  }

  /** The catalog version as of this node's last heartbeat, while that is trusted; empty: read it yourself. */
  public OptionalLong version() {
    long until = trustedUntil;
    long v = known;
    return until != 0 && clock.getAsLong() - until < 0 ? OptionalLong.of(v) : OptionalLong.empty();
  }

  @Override
  public synchronized void start() {
    if (!enabled || running) {
      return;
    }
    running = true;
    stopped = false;
    thread = new Thread(this::listen, "catalog-version-watch");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
      stopped = true;
      trustedUntil = 0;
      t = thread;
    }
    try {
      t.join(HEARTBEAT_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    trustedUntil = 0; // again: a round that checked `stopped` just before it was set may have renewed the trust
    // writers stop waiting for this node at once, not when its lease runs out
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM catalog_listeners WHERE node_id = ?")) {
      delete.setString(1, node);
      delete.executeUpdate();
    } catch (SQLException e) {
      LOG.debug("catalog version watch: could not remove this node's lease: {}", e.getMessage());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void listen() {
    boolean failing = false;
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        // a statement on a connection whose network went quiet fails instead of waiting for TCP to give up (hours):
        // trust has ended by then anyway, and the next round gets a fresh connection
        c.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT_MILLIS);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CatalogListeners.CHANNEL);
        }
        try (PreparedStatement read = c.prepareStatement("SELECT version FROM model_catalog_version WHERE id = 1");
            PreparedStatement ack = c.prepareStatement(ACK)) {
          PGConnection pg = c.unwrap(PGConnection.class);
          while (running) {
            heartbeat(read, ack);
            if (failing) {
              LOG.info("catalog version watch: back; budget lookups answer from memory again");
              failing = false;
            }
            pg.getNotifications((int) HEARTBEAT_MILLIS); // any notification: read the version again now
          }
        }
      } catch (SQLException | RuntimeException e) {
        trustedUntil = 0;
        if (!failing && running) {
          LOG.warn("catalog version watch: {}; budget lookups read the version from the database until it is back",
              e.getMessage());
          failing = true;
        }
        pause();
      }
    }
  }

  /** One round: read the version, keep it, record it with a fresh lease, and only then trust it. */
  void heartbeat(PreparedStatement read, PreparedStatement ack) throws SQLException {
    long started = clock.getAsLong();
    long v;
    try (ResultSet rs = read.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("model_catalog_version has no row");
      }
      v = rs.getLong(1);
    }
    known = v; // before the acknowledgement: once a writer sees it, lookups here see v
    ack.setString(1, node);
    ack.setLong(2, v);
    ack.executeUpdate();
    if (!stopped) {
      trustedUntil = started + CatalogListeners.LEASE.toNanos() - MARGIN_NANOS;
    }
  }

  private void pause() {
    try {
      Thread.sleep(HEARTBEAT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
