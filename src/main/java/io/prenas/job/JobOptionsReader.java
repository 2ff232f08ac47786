package io.prenas.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.storage.DatasetProperties;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Turns a job row's stored options (validated and defaulted at submit) into the typed options of its type, once per
 * run: enums for the sampler and score mode, the data path resolved under the server's data directory.
 */
@Component
class JobOptionsReader {

  private final ObjectMapper json;
  private final Path dataRoot;

  JobOptionsReader(ObjectMapper json, DatasetProperties datasets) {
    this.json = json;
    this.dataRoot = datasets.dir().toAbsolutePath().normalize();
  }

  SelectionOptions selection(JobRecord job) throws IOException {
    JobOptions o = stored(job, JobType.SELECTION);
    return SelectionOptions.of(o, DataPath.of(o, dataRoot));
  }

  TrainingOptions training(JobRecord job) throws IOException {
    JobOptions o = stored(job, JobType.TRAINING);
    return TrainingOptions.of(o, DataPath.of(o, dataRoot));
  }

  EvaluationOptions evaluation(JobRecord job) throws IOException {
    JobOptions o = stored(job, JobType.EVALUATION);
    return EvaluationOptions.of(o, DataPath.of(o, dataRoot));
  }

  PipelineOptions pipeline(JobRecord job) throws IOException {
    JobOptions o = stored(job, JobType.PIPELINE);
    return PipelineOptions.of(o, DataPath.of(o, dataRoot));
  }

  /** The training part of a training or pipeline job (an evaluation reuses its data and seed). */
  TrainingOptions trainingPart(JobRecord job) throws IOException {
    return job.type() == JobType.PIPELINE ? pipeline(job).training() : training(job);
  }

  private JobOptions stored(JobRecord job, JobType expected) throws IOException {
    if (job.type() != expected) {
      throw new IllegalArgumentException("job " + job.id() + " is a " + job.type().apiName() + " job, not a "
          + expected.apiName() + " job");
    }
    return json.readValue(job.options(), JobOptions.class);
  }
}
