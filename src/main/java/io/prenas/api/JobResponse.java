package io.prenas.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.job.JobOptions;
import io.prenas.job.JobRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Schema(description = "A job and where it is.")
record JobResponse(
    @Schema(example = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f") UUID id,
    @Schema(allowableValues = {"selection", "training", "evaluation", "pipeline"}, example = "selection") String type,
    @Schema(allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}, example = "RUNNING")
    String state,
    @Schema(example = "autoformer-tiny") String space,
    @Schema(description = "The options the job runs with (defaults filled in).") JobOptions options,
    @Schema(description = "How the job's result came to be when it did not run on a worker: 'import' for a "
        + "preferred table imported through POST /spaces/{name}/preferred; null for jobs that ran.",
        allowableValues = {"import"}) String source,
    @Schema(description = "Current phase, null before the job starts (the enum lists every phase of every job "
        + "type, in pipeline order).", example = "enumerate_and_score") String phase,
    Progress progress,
    @Schema(description = "Estimated end of the current phase, when known.") Instant eta,
    @Schema(description = "Current metrics (loss, images/s, accuracy, timings...).", implementation = JobMetrics.class)
    JsonNode metrics,
    @Schema(description = "The worker running or last running the job (pid@host).", example = "4242@worker-1")
    String worker,
    @Schema(description = "Runs started so far (a retry or a resume after a worker died adds one).", example = "1")
    int attempts,
    @Schema(description = "True once a cancel was asked for a running job.", example = "false") boolean cancelRequested,
    Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
    @Schema(description = "Why the job failed (or why its last attempt failed).",
        example = "options.dataPath: no folder at 'fashion-mnist' in the data directory") String failureReason,
    @Schema(description = "Whether the failure would recur: DETERMINISTIC (invalid options or data, a corrupt file, "
        + "a bug; failed on its first attempt, not retried), OUT_OF_MEMORY (the job ran out of Java heap or native "
        + "memory at its size; not retried, the server and other jobs carry on) or TRANSIENT (database outage, a "
        + "worker that died, storage away; retried with backoff up to prenas.jobs.max-attempts). Null while nothing "
        + "failed.", allowableValues = {"DETERMINISTIC", "OUT_OF_MEMORY", "TRANSIENT"}, example = "DETERMINISTIC")
    String failureClass,
    @Schema(description = "The last log lines of the job, oldest first.") List<String> logLines,
    @Schema(description = "SHA-256 of the job's last checkpoint artifact.") String checkpointSha256) {

  @Schema(description = "Progress of the current phase.")
  record Progress(@Schema(example = "120") long done, @Schema(example = "400") long total,
      @Schema(description = "done / total in percent, null when the total is unknown.", example = "30.0")
      Double percent) {}

  private static final String SOURCE = "source";

  static JobResponse of(JobRecord j, ObjectMapper json) {
    try {
      List<String> lines = json.readValue(j.logLines(),
          json.getTypeFactory().constructCollectionType(List.class, String.class));
      Double percent = j.progressTotal() > 0
          ? Math.min(100.0, Math.round(1000.0 * j.progressDone() / j.progressTotal()) / 10.0) : null;
      StoredOptions stored = StoredOptions.of(j, json);
      return new JobResponse(j.id(), j.type().apiName(), j.state().name(), j.space(), stored.options(),
          stored.source(),
          j.phase(), new Progress(j.progressDone(), j.progressTotal(), percent), j.eta(), metrics(j, json),
          j.worker(), j.attempts(), j.cancelRequested(), j.createdAt(), j.startedAt(), j.finishedAt(), j.updatedAt(),
          j.failureReason(), j.failureClass() == null ? null : j.failureClass().name(), lines, j.checkpointSha256());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("job " + j.id() + " has malformed JSON columns", e);
    }
  }

  /**
   * The options column read once: the options a job ran with, and the {@code source} an import's row records there
   * (not an option, shown beside them).
   */
  private record StoredOptions(JobOptions options, String source) {

    static StoredOptions of(JobRecord j, ObjectMapper json) throws com.fasterxml.jackson.core.JsonProcessingException {
      ObjectNode stored = (ObjectNode) json.readTree(j.options());
      JsonNode source = stored.remove(SOURCE);
      return new StoredOptions(json.treeToValue(stored, JobOptions.class), source == null ? null : source.asText());
    }
  }

  /**
   * The job's metrics as clients have always seen them: the links between jobs live in columns of the row now, and
   * are shown under their former metric names ({@code selectionJob}, {@code trainingJob}, {@code supernetSha256}).
   */
  private static JsonNode metrics(JobRecord j, ObjectMapper json)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    JsonNode stored = json.readTree(j.metrics());
    if (!(stored instanceof ObjectNode metrics)) {
      return stored;
    }
    if (j.selectionJob() != null) {
      metrics.put("selectionJob", j.selectionJob().toString());
    }
    if (j.trainingJob() != null) {
      metrics.put("trainingJob", j.trainingJob().toString());
    }
    if (j.supernetSha256() != null) {
      metrics.put("supernetSha256", j.supernetSha256());
    }
    return metrics;
  }
}
