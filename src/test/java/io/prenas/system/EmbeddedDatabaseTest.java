package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The embedded PostgreSQL default: a real server, the Flyway schema, and the budget index. */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmbeddedDatabaseTest {

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  TransactionTemplate tx;

  @Autowired
  TestRestTemplate http;

  @Test
  void runsOnRealPostgresWithTheFlywaySchema() {
    assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
    assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank",
        String.class)).contains("1");
    assertThat(http.getForObject("/actuator/health", String.class)).contains("\"db\":{\"status\":\"UP\"}");
  }

  @Test
  void theBudgetLookupIsAnIndexRangeScan() {
    List<String> plan = tx.execute(status -> {
      jdbc.execute("SET LOCAL enable_seqscan = off"); // a tiny test table would otherwise be read whole
      return jdbc.queryForList("""
          EXPLAIN SELECT * FROM models
          WHERE space = 'x' AND params <= 7000000 AND flops <= 2e9 AND val_top1 IS NOT NULL
          ORDER BY val_top1 DESC, flops ASC, id ASC LIMIT 1""", String.class);
    });
    assertThat(String.join("\n", plan)).containsPattern("Index (Only )?Scan using models_(budget|space_accuracy)_idx")
        .doesNotContain("Seq Scan");
  }
}
