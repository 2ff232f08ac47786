package io.prenas.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.testing.TestPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The preferred-table service on the database alone (a JPA slice on a real PostgreSQL with the Flyway schema; no web
 * layer, jobs or engine): a table is stored and found again with each architecture's own config, a job run again
 * replaces its table, and the latest table of a space is the newest job's.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = PreferredTablesTest.Slice.class)
@Import(PreferredTables.class)
class PreferredTablesTest {

  static final TestPostgres POSTGRES = start();

  static final SearchSpace TINY = SearchSpaces.builtIn("autoformer-tiny");

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EntityScan(basePackages = {"io.prenas.catalog", "io.prenas.job", "io.prenas.storage"})
  @EnableJpaRepositories(basePackages = "io.prenas.catalog")
  static class Slice {
    @Bean
    ObjectMapper objectMapper() {
      return new ObjectMapper();
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
    registry.add("spring.datasource.username", POSTGRES::username);
  }

  @AfterAll
  static void stop() throws Exception {
    POSTGRES.close();
  }

  @Autowired
  PreferredTables tables;

  @Autowired
  JdbcTemplate db;

  @Test
  void aTableIsFoundAgainWithEachArchitecturesOwnConfig() {
    UUID job = job();
    List<PreferredTables.Candidate> candidates = candidates(3, 1);
    PreferredTables.Table stored = tables.replace(job, TINY, candidates);

    PreferredTables.Table found = tables.find(TINY, job).orElseThrow();
    assertThat(found.size()).isEqualTo(3);
    assertThat(found.architectures()).isEqualTo(stored.architectures())
        .isEqualTo(candidates.stream().map(PreferredTables.Candidate::architecture).toList());
    for (int i = 0; i < found.size(); i++) {
      Architecture a = found.architectures().get(i);
      assertThat(found.rows().get(i).archId()).isEqualTo(a.id());
      assertThat(found.rows().get(i).params()).isEqualTo(TINY.params(a));
    }
    // The config column is the family's JSON format, as a reference tool reads it.
    String config = db.queryForObject("SELECT config::text FROM preferred_architectures WHERE job_id = ? AND rank = 1"
        + " ORDER BY bin_lower LIMIT 1", String.class, job);
    assertThat(config).contains("\"layer_num\"", "\"embed_dim\"", "\"mlp_ratio\"", "\"num_heads\"");
  }

  @Test
  void aJobRunAgainReplacesItsTableAndTheNewestJobIsTheLatest() {
    UUID first = job();
    UUID second = job();
    tables.replace(first, TINY, candidates(2, 2));
    tables.replace(second, TINY, candidates(4, 3));
    PreferredTables.Table again = tables.replace(first, TINY, candidates(1, 4));

    assertThat(tables.find(TINY, first).orElseThrow().architectures()).isEqualTo(again.architectures());
    assertThat(tables.find(TINY, second).orElseThrow().size()).isEqualTo(4);
    assertThat(tables.latestJob(TINY.name())).contains(first);
    assertThat(tables.find(TINY, UUID.randomUUID())).isEmpty();
  }

  private UUID job() {
    UUID id = UUID.randomUUID();
    db.update("INSERT INTO jobs (id, type, state, space, options, created_at, updated_at) "
        + "VALUES (?, 'SELECTION', 'SUCCEEDED', ?, '{}'::jsonb, now(), now())", id, TINY.name());
    return id;
  }

  /** {@code n} distinct architectures of the space, one bin each, drawn with a fixed seed. */
  private static List<PreferredTables.Candidate> candidates(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferredTables.Candidate> out = new ArrayList<>();
    while (out.size() < n) {
      Architecture a = TINY.sample(random);
      if (out.stream().anyMatch(c -> c.architecture().equals(a))) {
        continue;
      }
      int bin = out.size();
      out.add(new PreferredTables.Candidate(Integer.toString(bin + 1), bin, bin + 1, 1, a, TINY.params(a),
          TINY.flops(a), 1.0 / (bin + 1)));
    }
    return out;
  }

  private static TestPostgres start() {
    try {
      return TestPostgres.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test PostgreSQL", e);
    }
  }
}
