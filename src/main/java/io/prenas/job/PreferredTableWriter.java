package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredArchitectureRepository;
import io.prenas.space.ArchitectureJson;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Writes a selection job's preferred table; re-running the job replaces its rows (re-entrant). */
@Component
class PreferredTableWriter {

  private final PreferredArchitectureRepository rows;
  private final ObjectMapper json;

  PreferredTableWriter(PreferredArchitectureRepository rows, ObjectMapper json) {
    this.rows = rows;
    this.json = json;
  }

  @Transactional
  int replace(UUID jobId, String space, List<SelectionEngine.Preferred> preferred) throws Exception {
    rows.deleteByJobId(jobId);
    rows.flush();
    for (SelectionEngine.Preferred p : preferred) {
      String config = json.writeValueAsString(ArchitectureJson.toConfig(p.architecture()));
      rows.save(new PreferredArchitecture(jobId, space, p.binKey(), p.binLower(), p.binUpper(), p.rank(),
          p.architecture().id(), config, p.params(), p.flops(), p.score()));
    }
    return preferred.size();
  }
}
