package io.prenas.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** Rows of {@code releases} and the catalog's version counter ({@code model_catalog_version}), through JDBC. */
@Component
class Releases {

  private static final String SELECT = """
      SELECT r.id, r.space, r.job_id, r.dataset_fingerprint, r.created_at, r.published_at,
             (SELECT count(*) FROM models m WHERE m.release_id = r.id) AS models,
             (SELECT count(*) FROM models m WHERE m.release_id = r.id AND m.withdrawn_at IS NOT NULL) AS withdrawn
      FROM releases r""";

  private static final RowMapper<Release> ROW = (rs, i) -> new Release(rs.getObject("id", UUID.class),
      rs.getString("space"), rs.getObject("job_id", UUID.class), rs.getString("dataset_fingerprint"),
      rs.getLong("models"), rs.getLong("withdrawn"), instant(rs.getTimestamp("created_at")),
      instant(rs.getTimestamp("published_at")));

  private final JdbcTemplate jdbc;
  private final CatalogListeners listeners;

  Releases(JdbcTemplate jdbc, CatalogListeners listeners) {
    this.jdbc = jdbc;
    this.listeners = listeners;
  }

  /**
   * The id models published without a job go to: one per space, the MD5 of {@code unreleased:<space>} read as a
   * UUID (what V4's {@code md5(...)::uuid} gave the job-less models published before it; no version bits are set,
   * unlike {@link UUID#nameUUIDFromBytes}).
   */
  static UUID unreleased(String space) {
    byte[] md5;
    try {
      md5 = java.security.MessageDigest.getInstance("MD5")
          .digest(("unreleased:" + space).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(md5);
    return new UUID(b.getLong(), b.getLong());
  }

  /**
   * Creates the release of a job's publication if it does not exist yet (in the caller's transaction); a release
   * without a job is complete at once.
   */
  void ensure(UUID id, String space, UUID job, String fingerprint) {
    Instant now = Instant.now();
    jdbc.update("""
        INSERT INTO releases (id, space, job_id, dataset_fingerprint, created_at, published_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""", id, space, job, fingerprint,
        Timestamp.from(now), job == null ? Timestamp.from(now) : null);
  }

  /** Marks a release complete; true when it was not yet. */
  boolean complete(UUID id) {
    return jdbc.update("UPDATE releases SET published_at = ? WHERE id = ? AND published_at IS NULL",
        Timestamp.from(Instant.now()), id) == 1;
  }

  Optional<Release> find(UUID id) {
    return jdbc.query(SELECT + " WHERE r.id = ?", ROW, id).stream().findFirst();
  }

  /** The releases of a space, newest first: complete ones by publication time, then those still publishing. */
  List<Release> ofSpace(String space) {
    return jdbc.query(SELECT + " WHERE r.space = ? ORDER BY r.published_at DESC NULLS FIRST, r.created_at DESC, r.id",
        ROW, space);
  }

  /** Every release (the budget index's working set). */
  List<Release> all() {
    return jdbc.query(SELECT, ROW);
  }

  /**
   * Counts one change to what the budget lookup may answer, in the caller's transaction, and tells the api nodes at
   * its commit (NOTIFY is delivered then); the caller's thread then waits until they have all taken it in.
   */
  void bumpVersion() {
    Long v = jdbc.queryForObject("UPDATE model_catalog_version SET version = version + 1 WHERE id = 1 RETURNING version",
        Long.class);
    jdbc.execute("NOTIFY " + CatalogListeners.CHANNEL);
    listeners.awaitAfterCommit(v == null ? 0 : v);
  }

  /** The current value of the counter. */
  long version() {
    Long v = jdbc.queryForObject("SELECT version FROM model_catalog_version WHERE id = 1", Long.class);
    return v == null ? 0 : v;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
