package io.prenas.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The writers' side of the catalog version's push ({@code catalog_listeners}, see V7): after a change to what the
 * budget lookup may answer commits, its caller waits until every api node holding a live lease has taken the new
 * version in ({@link CatalogVersionWatch}). Only then does the withdrawal or publication return, so a client that
 * saw it succeed gets the new answer from any node next. A node that died stops counting when its lease runs out;
 * a node that lost its database connection stops answering from memory before that.
 */
@Component
class CatalogListeners {

  /** The channel every version bump notifies. */
  static final String CHANNEL = "prenas_catalog";
  /** How long a node's heartbeat stays valid, as the writers count it. */
  static final Duration LEASE = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(CatalogListeners.class);
  private static final String LAGGARDS = "SELECT count(*) FROM catalog_listeners "
      + "WHERE acked_version < ? AND seen_at > now() - make_interval(secs => ?)";
  /** Beyond the lease: by then every laggard's lease has run out, so this bounds a wait that should never end so. */
  private static final Duration GIVE_UP = LEASE.plusSeconds(2);

  private final DataSource dataSource;

  CatalogListeners(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Waits, once the caller's transaction has committed (or at once, outside one), until every live node has taken in
   * {@code version}. A rollback waits for nothing: the version did not change.
   */
  void awaitAfterCommit(long version) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      awaitTakenIn(version);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCompletion(int status) {
        if (status == STATUS_COMMITTED) {
          awaitTakenIn(version);
        }
      }
    });
  }

  /**
   * Polls {@code catalog_listeners} on a connection of its own (the committed transaction's one is still bound to
   * the thread) until no live node has a smaller version.
   */
  void awaitTakenIn(long version) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    try (Connection c = dataSource.getConnection(); PreparedStatement laggards = c.prepareStatement(LAGGARDS)) {
      laggards.setLong(1, version);
      laggards.setDouble(2, LEASE.toMillis() / 1e3);
      for (long wait = 1; ; wait = Math.min(wait * 2, 20)) {
        try (ResultSet rs = laggards.executeQuery()) {
          if (rs.next() && rs.getLong(1) == 0) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          LOG.warn("catalog version {}: some api nodes have not taken it in after {} s; their leases have run out, "
              + "so they read the version from the database on every lookup", version, GIVE_UP.toSeconds());
          return;
        }
        Thread.sleep(wait);
      }
    } catch (SQLException e) {
      // the change is committed; a node that cannot be asked about cannot renew its lease either
      LOG.warn("catalog version {}: could not check that the api nodes took it in: {}", version, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
