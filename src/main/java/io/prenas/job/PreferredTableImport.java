package io.prenas.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.space.PreferredFile;
import io.prenas.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports a preferred-architecture file (the reference's {@code interval_cands} JSON, or what {@code select} writes)
 * as a preferred table of a space.
 *
 * <p>Preferred tables belong to the job that wrote them, so an import is recorded as a selection job that has
 * already succeeded, with {@code {"source": "import"}} as its options (shown as the job's {@code source}); training, evaluation, pipelines and
 * {@code GET /spaces/{name}/preferred?job=} then take its id like any selection's. The row and the table are written
 * in one transaction, after every entry has been checked: an invalid file leaves nothing behind.
 */
@Service
public class PreferredTableImport {

  /** What an import's job row says it was, in place of a selection's options. */
  static final Map<String, String> OPTIONS = Map.of("source", "import");

  private final SpaceCatalog spaces;
  private final JobRepository jobs;
  private final PreferredTables tables;
  private final ObjectMapper json;

  PreferredTableImport(SpaceCatalog spaces, JobRepository jobs, PreferredTables tables, ObjectMapper json) {
    this.spaces = spaces;
    this.jobs = jobs;
    this.tables = tables;
    this.json = json;
  }

  /**
   * Checks the file against the space and stores it as a new table.
   *
   * @throws io.prenas.space.PreferredFileException naming the bin and entry at fault; nothing is stored then
   * @throws io.prenas.catalog.SpaceNotFoundException when there is no such space
   */
  @Transactional
  public PreferredTables.Table importFile(String spaceName, JsonNode file) {
    SearchSpace space = spaces.get(spaceName).space();
    List<PreferredFile.Entry> entries = PreferredFile.read(file, space);
    long bins = entries.stream().map(PreferredFile.Entry::binKey).distinct().count();
    UUID id = UUID.randomUUID();
    String line = "preferred table imported: " + entries.size() + " architectures in " + bins + " bins";
    jobs.saveAndFlush(JobRecord.importedSelection(id, space.name(), write(OPTIONS), write(metrics(entries, bins)),
        write(List.of(line)), entries.size()));
    List<PreferredTables.Candidate> candidates = new ArrayList<>();
    for (PreferredFile.Entry e : entries) {
      candidates.add(new PreferredTables.Candidate(e.binKey(), e.binLower(), e.binUpper(), e.rank(),
          e.architecture(), e.params(), e.flops(), e.score()));
    }
    return tables.replace(id, space, candidates);
  }

  /** The metrics a selection reports that an import knows too. */
  private static Map<String, Object> metrics(List<PreferredFile.Entry> entries, long bins) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preferred", entries.size());
    m.put("binCount", bins); // not "bins": a selection reports its bin settings under that name
    return m;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // maps and lists of plain values always serialise
    }
  }
}
