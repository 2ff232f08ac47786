package io.prenas.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A job's progress across a process boundary: the engine process of a job reports through a {@link JobProgress}
 * whose row writes are JSON messages ({@link #writingTo}); its worker applies each message to the job's own progress
 * ({@link #apply}), so the row gets the same phases, steps, ETA, metrics and log lines as from an engine in the
 * worker's JVM. Throttling happens where the progress is made (the engine process); the worker writes what arrives,
 * stamped with its own clock. Cancellation goes the other way, outside these messages.
 */
public final class ProgressLines {

  /** The {@code k} (kind) of a progress message. */
  public static final String KIND = "progress";

  private ProgressLines() {}

  /**
   * A progress for an engine process: each row write becomes a message to {@code out}; {@code cancelled} answers
   * {@link JobProgress#cancelRequested()}.
   */
  public static JobProgress writingTo(UUID jobId, Consumer<ObjectNode> out, BooleanSupplier cancelled,
      ObjectMapper json, Duration minInterval) {
    return JobProgress.over(jobId, new MessageRow(out, cancelled, json), json, minInterval);
  }

  /** Applies a progress message ({@code k} = {@value #KIND}) from an engine process to the job's progress. */
  public static void apply(JsonNode message, JobProgress target) {
    JobProgress.Row row = target.row();
    Instant now = Instant.now();
    String op = message.path("op").asText();
    switch (op) {
      case "progress" -> row.progress(text(message, "phase"), message.path("done").asLong(),
          message.path("total").asLong(), instant(message), now);
      case "progressWithMetrics" -> row.progressWithMetrics(text(message, "phase"), message.path("done").asLong(),
          message.path("total").asLong(), instant(message), message.path("metrics").asText(), now);
      case "mergeMetrics" -> row.mergeMetrics(message.path("metrics").asText(), now);
      case "appendLog" -> {
        String line = message.path("line").asText();
        org.slf4j.LoggerFactory.getLogger(JobProgress.class).info("job {}: {}", target.jobId(),
            line.substring(Math.min(line.length(), line.indexOf(' ') + 1)));
        row.appendLog(line, message.path("keep").asInt(JobProgress.LOG_LINES_KEPT), now);
      }
      case "checkpoint" -> row.checkpoint(message.path("sha256").asText(), now);
      case "linkSupernet" -> row.linkSupernet(message.path("sha256").asText(), now);
      case "linkSelection" -> row.linkSelection(UUID.fromString(message.path("job").asText()), now);
      case "linkTraining" -> row.linkTraining(UUID.fromString(message.path("job").asText()), now);
      default -> throw new IllegalArgumentException("unknown progress message: " + message);
    }
  }

  private static String text(JsonNode message, String field) {
    JsonNode v = message.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode message) {
    JsonNode eta = message.get("eta");
    return eta == null || eta.isNull() ? null : Instant.ofEpochMilli(eta.asLong());
  }

  /** Row writes as messages; the job's log lines keep the engine process's time stamps. */
  private record MessageRow(Consumer<ObjectNode> out, BooleanSupplier cancelled, ObjectMapper json)
      implements JobProgress.Row {

    private ObjectNode message(String op) {
      ObjectNode m = json.createObjectNode();
      m.put("k", KIND);
      m.put("op", op);
      return m;
    }

    @Override
    public void progress(String phase, long done, long total, Instant eta, Instant now) {
      ObjectNode m = message("progress");
      m.put("phase", phase).put("done", done).put("total", total);
      m.put("eta", eta == null ? null : eta.toEpochMilli());
      out.accept(m);
    }

    @Override
    public void progressWithMetrics(String phase, long done, long total, Instant eta, String metricsJson,
        Instant now) {
      ObjectNode m = message("progressWithMetrics");
      m.put("phase", phase).put("done", done).put("total", total).put("metrics", metricsJson);
      m.put("eta", eta == null ? null : eta.toEpochMilli());
      out.accept(m);
    }

    @Override
    public Boolean cancelRequested() {
      return cancelled.getAsBoolean();
    }

    @Override
    public void mergeMetrics(String metricsJson, Instant now) {
      out.accept(message("mergeMetrics").put("metrics", metricsJson));
    }

    @Override
    public void appendLog(String line, int keep, Instant now) {
      out.accept(message("appendLog").put("line", line).put("keep", keep));
    }

    @Override
    public void checkpoint(String sha256, Instant now) {
      out.accept(message("checkpoint").put("sha256", sha256));
    }

    @Override
    public void linkSelection(UUID selectionJob, Instant now) {
      out.accept(message("linkSelection").put("job", selectionJob.toString()));
    }

    @Override
    public void linkTraining(UUID trainingJob, Instant now) {
      out.accept(message("linkTraining").put("job", trainingJob.toString()));
    }

    @Override
    public void linkSupernet(String sha256, Instant now) {
      out.accept(message("linkSupernet").put("sha256", sha256));
    }
  }
}
