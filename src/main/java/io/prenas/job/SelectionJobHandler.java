package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import java.nio.file.Path;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
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
  private final SelectionStep selection;
  private final ObjectMapper json;
  private final Path dataRoot;

  SelectionJobHandler(JobRunner runner, SpaceCatalog spaces, SelectionStep selection, ObjectMapper json,
      @Value("${prenas.data.dir:./data/datasets}") Path dataRoot) {
    this.runner = runner;
    this.spaces = spaces;
    this.selection = selection;
    this.json = json;
    this.dataRoot = dataRoot.toAbsolutePath().normalize();
  }

  @Override
  @Job(name = "PreNAS selection", retries = RETRIES)
  public void run(SelectionJobRequest request) throws Exception {
    runner.run(request.jobId(), RETRIES, (job, progress) -> {
      SpaceInfo space = spaces.get(job.space());
      JobOptions options = json.readValue(job.options(), JobOptions.class);
      Path dataDir = options.dataDirForRun(dataRoot);
      if (dataDir != null && !dataDir.toFile().exists()) {
        throw new JobFailedException("options.dataPath: nothing at '" + options.dataPath() + "' in the data directory");
      }
      selection.run(job, options, space, dataDir, progress);
    });
  }
}
