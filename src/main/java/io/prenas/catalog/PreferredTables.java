package io.prenas.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The preferred tables of the catalog: the kept candidates a selection (or pipeline) job wrote for a space, one
 * table per job. Jobs write and read them, the API shows them; nothing else touches
 * {@code preferred_architectures}.
 */
@Service
public class PreferredTables {

  /** One kept candidate of a bin, as the selector produced it. */
  public record Candidate(String binKey, double binLower, double binUpper, int rank, Architecture architecture,
      long params, double flops, double score) {}

  /**
   * A job's table: its rows in bin order (then rank) and their architectures in the same order.
   *
   * @param jobId the job that wrote it
   */
  public record Table(UUID jobId, String space, List<PreferredArchitecture> rows, List<Architecture> architectures) {
    public Table {
      rows = List.copyOf(rows);
      architectures = List.copyOf(architectures);
    }

    public int size() {
      return rows.size();
    }
  }

  private final PreferredArchitectureRepository rows;
  private final ObjectMapper json;

  PreferredTables(PreferredArchitectureRepository rows, ObjectMapper json) {
    this.rows = rows;
    this.json = json;
  }

  /** The table written by {@code jobId} for {@code space}; empty when that job wrote none. */
  public Optional<Table> find(SearchSpace space, UUID jobId) {
    List<PreferredArchitecture> found = rows.findBySpaceAndJobIdOrderByBinLowerAscRankAsc(space.name(), jobId);
    return found.isEmpty() ? Optional.empty() : Optional.of(table(space, jobId, found));
  }

  /** The job that wrote the newest table of {@code space}, if any. */
  public Optional<UUID> latestJob(String space) {
    return Optional.ofNullable(rows.findFirstBySpaceOrderByCreatedAtDescIdDesc(space))
        .map(PreferredArchitecture::jobId);
  }

  /**
   * Writes the table of {@code jobId}, replacing what that job wrote before (a job run again writes it anew), and
   * returns it as stored: a caller goes on with it without reading it back.
   */
  @Transactional
  public Table replace(UUID jobId, SearchSpace space, List<Candidate> candidates) {
    rows.deleteByJobId(jobId);
    rows.flush();
    List<PreferredArchitecture> saved = new ArrayList<>();
    List<Architecture> architectures = new ArrayList<>();
    for (Candidate c : candidates) {
      saved.add(rows.save(new PreferredArchitecture(jobId, space.name(), c.binKey(), c.binLower(), c.binUpper(),
          c.rank(), c.architecture().id(), configJson(space, c.architecture()), c.params(), c.flops(), c.score())));
      architectures.add(c.architecture());
    }
    return new Table(jobId, space.name(), saved, architectures);
  }

  private Table table(SearchSpace space, UUID jobId, List<PreferredArchitecture> found) {
    List<Architecture> architectures = new ArrayList<>();
    for (PreferredArchitecture r : found) {
      try {
        architectures.add(space.readArchitecture(json.readTree(r.config())));
      } catch (IOException e) {
        throw new UncheckedIOException("preferred row " + r.id() + " has a malformed config", e);
      }
    }
    return new Table(jobId, space.name(), found, architectures);
  }

  private String configJson(SearchSpace space, Architecture a) {
    try {
      return json.writeValueAsString(space.writeArchitecture(a));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
