package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactStore;
import java.nio.file.Path;
import java.util.Map;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs a selection job on a worker: the zero-cost selector over the job's space (from its imported supernet weights
 * when there are some), then the preferred table into {@code preferred_architectures}.
 */
@Component
public class SelectionJobHandler implements JobRequestHandler<SelectionJobRequest> {

  static final int RETRIES = 2;

  private final JobRunner runner;
  private final SpaceCatalog spaces;
  private final ArtifactStore artifacts;
  private final ObjectProvider<SelectionEngine> engine;
  private final PreferredTableWriter table;
  private final ObjectMapper json;
  private final Path dataRoot;

  SelectionJobHandler(JobRunner runner, SpaceCatalog spaces, ArtifactStore artifacts,
      ObjectProvider<SelectionEngine> engine, PreferredTableWriter table, ObjectMapper json,
      @Value("${prenas.data.dir:./data/datasets}") Path dataRoot) {
    this.runner = runner;
    this.spaces = spaces;
    this.artifacts = artifacts;
    this.engine = engine;
    this.table = table;
    this.json = json;
    this.dataRoot = dataRoot.toAbsolutePath().normalize();
  }

  @Override
  @Job(name = "PreNAS selection", retries = RETRIES)
  public void run(SelectionJobRequest request) throws Exception {
    runner.run(request.jobId(), RETRIES, (job, progress) -> {
      SelectionEngine selector = engine.getIfAvailable();
      if (selector == null) {
        throw new JobFailedException("selection engine not available in this build");
      }
      SpaceInfo space = spaces.get(job.space());
      JobOptions options = json.readValue(job.options(), JobOptions.class);
      Path supernet = space.supernetSha256() == null ? null : artifacts.get(space.supernetSha256()).file();
      Path dataDir = options.dataDirUnder(dataRoot);
      if (dataDir != null && !dataDir.toFile().exists()) {
        throw new JobFailedException("options.dataPath: nothing at '" + options.dataPath() + "' in the data directory");
      }
      SelectionEngine.Outcome outcome = selector.select(new SelectionEngine.Command(space.space(), supernet, dataDir,
          options.binMin(), options.binMax(), options.binInterval(), options.candidatesPerBin(),
          options.scoreMode(), options.batchSize(), options.seed()), progress);
      progress.phase("store_preferred", outcome.preferred().size());
      int n = table.replace(job.id(), job.space(), outcome.preferred());
      progress.step(n);
      progress.metrics(outcome.metrics());
      progress.metrics(Map.of("preferred", n));
      progress.log("stored " + n + " preferred architectures");
    });
  }
}
