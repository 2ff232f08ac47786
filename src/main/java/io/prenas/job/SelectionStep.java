package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The selection as a step of a job (a selection job, or the first part of a pipeline): the zero-cost selector over
 * the space (from its imported supernet weights when there are some), then the preferred table of the job into the
 * catalog's {@link PreferredTables}.
 */
@Component
class SelectionStep {

  private final ArtifactStore artifacts;
  private final ObjectProvider<SelectionEngine> engine;
  private final PreferredTables tables;

  SelectionStep(ArtifactStore artifacts, ObjectProvider<SelectionEngine> engine, PreferredTables tables) {
    this.artifacts = artifacts;
    this.engine = engine;
    this.tables = tables;
  }

  /**
   * Selects and stores the preferred table of {@code job} (replacing one an earlier attempt stored).
   *
   * @param batch the gradient batch: a batch file, an image data folder, or {@code null} for the data-free pass
   * @return the table as stored
   */
  PreferredTables.Table run(JobRecord job, SelectionOptions options, SpaceInfo space, Path batch,
      JobProgress progress) throws Exception {
    SelectionEngine selector = engine.getIfAvailable();
    if (selector == null) {
      throw new JobFailedException("selection engine not available in this build");
    }
    Path supernet = space.supernetSha256() == null ? null : artifacts.get(space.supernetSha256()).file();
    SelectionEngine.Outcome outcome = selector.select(new SelectionEngine.Command(space.space(), supernet, batch,
        options.binMin(), options.binMax(), options.binInterval(), options.candidatesPerBin(),
        options.scoreMode(), options.batchSize(), options.seed(), options.precision()), progress);
    progress.phase("store_preferred", outcome.preferred().size());
    List<PreferredTables.Candidate> candidates = new ArrayList<>();
    for (SelectionEngine.Preferred p : outcome.preferred()) {
      candidates.add(new PreferredTables.Candidate(p.binKey(), p.binLower(), p.binUpper(), p.rank(),
          p.architecture(), p.params(), p.flops(), p.score()));
    }
    PreferredTables.Table table = tables.replace(job.id(), space.space(), candidates);
    int n = table.size();
    progress.step(n);
    progress.metrics(outcome.metrics());
    progress.metrics(Map.of("preferred", n));
    progress.log("stored " + n + " preferred architectures");
    return table;
  }
}
