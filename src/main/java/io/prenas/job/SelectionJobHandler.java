package io.prenas.job;

import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.springframework.stereotype.Component;

/**
 * Runs a selection job on a worker: the zero-cost selector over the job's space (from its imported supernet weights
 * when there are some), then the preferred table into {@code preferred_architectures}.
 */
@Component
public class SelectionJobHandler implements JobRequestHandler<SelectionJobRequest> {

  private final JobRunner runner;
  private final SpaceCatalog spaces;
  private final SelectionStep selection;
  private final JobOptionsReader options;

  SelectionJobHandler(JobRunner runner, SpaceCatalog spaces, SelectionStep selection, JobOptionsReader options) {
    this.runner = runner;
    this.spaces = spaces;
    this.selection = selection;
    this.options = options;
  }

  @Override
  @Job(name = "PreNAS selection")
  public void run(SelectionJobRequest request) throws Exception {
    runner.run(request.jobId(), (job, progress) -> {
      SpaceInfo space = spaces.get(job.space());
      SelectionOptions o = options.selection(job);
      selection.run(job, o, space, o.data().optionalBatch(), progress);
    });
  }
}
