package io.prenas.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V5 on models published before it: each (space, job) becomes one complete release (id = the job), job-less models
 * one release per space, and every model gets a card with its lineage from the job row and its release, with
 * preprocessing, labels and dataset null (the data may have changed since).
 */
// A PostgreSQL of its own and no Spring context, as JobLinksMigrationTest.
class ModelCardMigrationTest {

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
  void modelsPublishedBeforeV5GetReleasesAndLineageCards() throws Exception {
    String schema = "v4_cards";
    Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").target("4")
        .load().migrate();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String weights = "ab".repeat(32);
    String supernet = "cd".repeat(32);
    jdbc.update("INSERT INTO " + schema + ".artifacts VALUES (?, 1, 'SUBNET_WEIGHTS', 'ab/ab/x', now())", weights);
    jdbc.update("INSERT INTO " + schema + ".artifacts VALUES (?, 1, 'SUPERNET_WEIGHTS', 'cd/cd/x', now())", supernet);
    UUID selection = UUID.randomUUID();
    UUID evaluation = UUID.randomUUID();
    UUID pipeline = UUID.randomUUID();
    jdbc.update("INSERT INTO " + schema + ".jobs (id, type, state, space, options, created_at, updated_at) "
        + "VALUES (?, 'SELECTION', 'SUCCEEDED', 'micro', '{}'::jsonb, now(), now())", selection);
    jdbc.update("INSERT INTO " + schema + ".jobs (id, type, state, space, options, created_at, updated_at, "
        + "selection_job, supernet_sha256) VALUES (?, 'EVALUATION', 'SUCCEEDED', 'micro', '{}'::jsonb, now(), now(), "
        + "?, ?)", evaluation, selection, supernet);
    jdbc.update("INSERT INTO " + schema + ".jobs (id, type, state, space, options, created_at, updated_at, "
        + "selection_job, supernet_sha256) VALUES (?, 'PIPELINE', 'SUCCEEDED', 'micro', '{}'::jsonb, now(), now(), "
        + "?, ?)", pipeline, pipeline, supernet);
    insertModel(jdbc, schema, "micro", evaluation, "2026-01-01T00:00:00Z");
    insertModel(jdbc, schema, "micro", evaluation, "2026-01-01T00:01:00Z");
    insertModel(jdbc, schema, "micro", pipeline, "2026-01-02T00:00:00Z");
    insertModel(jdbc, schema, "micro", null, "2026-01-03T00:00:00Z");

    Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").load().migrate();

    List<Map<String, Object>> releases = jdbc.queryForList("SELECT r.id, r.job_id, r.published_at, "
        + "(SELECT count(*) FROM " + schema + ".models m WHERE m.release_id = r.id) AS models FROM " + schema
        + ".releases r ORDER BY r.published_at");
    assertThat(releases).hasSize(3);
    assertThat(releases.get(0).get("id")).isEqualTo(evaluation);
    assertThat(releases.get(0).get("models")).isEqualTo(2L);
    assertThat(releases.get(0).get("published_at").toString()).startsWith("2026-01-01");
    assertThat(releases.get(1).get("id")).isEqualTo(pipeline);
    assertThat(releases.get(2).get("job_id")).isNull();
    assertThat(releases.get(2).get("id")).as("the job-less release's id, as the catalog derives it")
        .isEqualTo(Releases.unreleased("micro"));

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> cards = jdbc.queryForList("SELECT card::text FROM " + schema + ".models ORDER BY created_at",
        String.class).stream().map(s -> read(json, s)).toList();
    JsonNode e = cards.get(0);
    assertThat(e.get("preprocessing").isNull()).isTrue();
    assertThat(e.get("labels").isNull()).isTrue();
    assertThat(e.get("dataset").isNull()).isTrue();
    assertThat(e.at("/lineage/selectionJob").asText()).isEqualTo(selection.toString());
    assertThat(e.at("/lineage/trainingJob").isNull()).as("an evaluation of imported weights").isTrue();
    assertThat(e.at("/lineage/evaluationJob").asText()).isEqualTo(evaluation.toString());
    assertThat(e.at("/lineage/supernetSha256").asText()).isEqualTo(supernet);
    assertThat(e.get("release").asText()).isEqualTo(evaluation.toString());
    JsonNode p = cards.get(2);
    assertThat(p.at("/lineage/trainingJob").asText()).as("a pipeline trains itself").isEqualTo(pipeline.toString());
    JsonNode none = cards.get(3);
    assertThat(none.get("lineage").isNull()).isTrue();
    assertThat(none.get("release").asText()).isEqualTo(Releases.unreleased("micro").toString());
    // every card reads back as the record the API returns
    cards.forEach(c -> assertThat(ModelCard.fromJson(c.toString()).release()).isNotNull());
    assertThat(jdbc.queryForObject("SELECT version FROM " + schema + ".model_catalog_version", Long.class))
        .isEqualTo(1L);
  }

  private static JsonNode read(ObjectMapper json, String s) {
    try {
      return json.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }

  private static void insertModel(JdbcTemplate jdbc, String schema, String space, UUID job, String at) {
    jdbc.update("INSERT INTO " + schema + ".models (space, arch_id, config, params, flops, val_top1, val_top5, "
        + "artifact_sha256, artifact_size, job_id, created_at) VALUES (?, 'a', '{}'::jsonb, 10, 20, 50, 60, ?, 1, ?, "
        + "?::timestamptz)", space, "ab".repeat(32), job, at);
  }
}
