package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.testing.TestPostgres;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V2 moves the links between jobs out of the metrics JSON into columns: a schema at V1 with rows written the old
 * way, migrated to the latest version, has the links in the columns and no longer in the metrics; a value that
 * names no row stays in the metrics (the foreign keys hold).
 */
// A PostgreSQL of its own, no Spring context: the migration runs on an empty database, and a server context started
// here would keep the logging set up for it in this JVM (ObservabilityTest needs its own JSON logging).
class JobLinksMigrationTest {

  static TestPostgres postgres;
  static DataSource dataSource;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start();
    dataSource = postgres.dataSource();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void v2BackfillsTheLinkColumnsFromTheMetrics() {
    String schema = "v2_backfill";
    Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").target("1")
        .load().migrate();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String sha = "ab".repeat(32);
    UUID selection = UUID.randomUUID();
    UUID training = UUID.randomUUID();
    UUID evaluation = UUID.randomUUID();
    UUID orphan = UUID.randomUUID();
    jdbc.update("INSERT INTO " + schema + ".artifacts VALUES (?, 1, 'SUPERNET_WEIGHTS', 'ab/ab/x', now())", sha);
    insert(jdbc, schema, selection, "SELECTION", "{\"preferred\": 3}");
    insert(jdbc, schema, training, "TRAINING", "{\"selectionJob\": \"" + selection + "\", \"preferred\": 3, "
        + "\"supernetSha256\": \"" + sha + "\", \"globalStep\": 24}");
    insert(jdbc, schema, evaluation, "EVALUATION", "{\"trainingJob\": \"" + training + "\", \"selectionJob\": \""
        + selection + "\", \"supernetSha256\": \"" + sha + "\"}");
    insert(jdbc, schema, orphan, "TRAINING", "{\"selectionJob\": \"" + UUID.randomUUID() + "\", "
        + "\"supernetSha256\": \"" + "cd".repeat(32) + "\"}");

    Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").load().migrate();

    Map<String, Object> t = row(jdbc, schema, training);
    assertThat(t.get("selection_job")).isEqualTo(selection);
    assertThat(t.get("training_job")).isNull();
    assertThat(t.get("supernet_sha256")).isEqualTo(sha);
    assertThat(t.get("metrics").toString()).doesNotContain("selectionJob", "supernetSha256")
        .contains("\"preferred\": 3", "\"globalStep\": 24");
    Map<String, Object> e = row(jdbc, schema, evaluation);
    assertThat(e.get("training_job")).isEqualTo(training);
    assertThat(e.get("selection_job")).isEqualTo(selection);
    assertThat(e.get("supernet_sha256")).isEqualTo(sha);
    assertThat(e.get("metrics").toString()).isEqualTo("{}");
    Map<String, Object> o = row(jdbc, schema, orphan);
    assertThat(o.get("selection_job")).isNull();
    assertThat(o.get("supernet_sha256")).isNull();
    assertThat(o.get("metrics").toString()).contains("selectionJob", "supernetSha256");
  }

  private static void insert(JdbcTemplate jdbc, String schema, UUID id, String type, String metrics) {
    jdbc.update("INSERT INTO " + schema + ".jobs (id, type, state, space, options, metrics, created_at, updated_at) "
        + "VALUES (?, ?, 'SUCCEEDED', 'micro', '{}'::jsonb, ?::jsonb, now(), now())", id, type, metrics);
  }

  private static Map<String, Object> row(JdbcTemplate jdbc, String schema, UUID id) {
    return jdbc.queryForMap("SELECT selection_job, training_job, supernet_sha256, metrics::text AS metrics FROM "
        + schema + ".jobs WHERE id = ?", id);
  }
}
