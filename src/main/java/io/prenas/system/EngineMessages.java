package io.prenas.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.job.JobOptions;
import io.prenas.job.SelectionEngine;
import io.prenas.job.TrainingEngine;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine ports' commands and results as JSON, for a job's engine process: the worker writes the request file,
 * the engine process writes the result file. Paths travel as strings (both processes see the same files),
 * architectures in their space's own JSON format ({@link SearchSpace#writeArchitecture}); the space itself is sent
 * by the caller (name and YAML) and rebuilt on the other side.
 */
final class EngineMessages {

  static final ObjectMapper JSON = new ObjectMapper();

  private EngineMessages() {}

  // --- selection -------------------------------------------------------------------------------------------------

  static ObjectNode selection(SelectionEngine.Command c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("supernetWeights", str(c.supernetWeights()));
    n.put("dataDir", str(c.dataDir()));
    n.put("binMin", c.binMin());
    n.put("binMax", c.binMax());
    n.put("binInterval", c.binInterval());
    n.put("candidatesPerBin", c.candidatesPerBin());
    n.put("scoreMode", c.scoreMode().name());
    n.put("batchSize", c.batchSize());
    n.put("seed", c.seed());
    n.put("precision", c.precision().id());
    return n;
  }

  static SelectionEngine.Command selection(SearchSpace space, JsonNode n) {
    return new SelectionEngine.Command(space, path(n, "supernetWeights"), path(n, "dataDir"), dbl(n, "binMin"),
        dbl(n, "binMax"), dbl(n, "binInterval"), n.path("candidatesPerBin").asInt(),
        JobOptions.ScoreMode.valueOf(n.path("scoreMode").asText()), n.path("batchSize").asInt(),
        n.path("seed").asLong(), precision(n));
  }

  static ObjectNode outcome(SearchSpace space, SelectionEngine.Outcome o) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode rows = n.putArray("preferred");
    for (SelectionEngine.Preferred p : o.preferred()) {
      ObjectNode r = rows.addObject();
      r.put("binKey", p.binKey()).put("binLower", p.binLower()).put("binUpper", p.binUpper()).put("rank", p.rank())
          .put("params", p.params()).put("flops", p.flops()).put("score", p.score());
      r.set("architecture", space.writeArchitecture(p.architecture()));
    }
    n.set("metrics", JSON.valueToTree(o.metrics()));
    return n;
  }

  static SelectionEngine.Outcome outcome(SearchSpace space, JsonNode n) {
    List<SelectionEngine.Preferred> preferred = new ArrayList<>();
    for (JsonNode r : n.path("preferred")) {
      preferred.add(new SelectionEngine.Preferred(r.path("binKey").asText(), r.path("binLower").asDouble(),
          r.path("binUpper").asDouble(), r.path("rank").asInt(), architecture(space, r), r.path("params").asLong(),
          r.path("flops").asDouble(), r.path("score").asDouble()));
    }
    return new SelectionEngine.Outcome(preferred, metrics(n));
  }

  // --- training --------------------------------------------------------------------------------------------------

  static ObjectNode training(TrainingEngine.TrainingCommand c) {
    ObjectNode n = JSON.createObjectNode();
    n.set("preferred", architectures(c.space(), c.preferred()));
    n.put("dataDir", str(c.dataDir()));
    n.put("epochs", c.epochs());
    n.put("batchSize", c.batchSize());
    n.put("sampler", c.sampler().name());
    n.put("seed", c.seed());
    n.put("initialWeights", str(c.initialWeights()));
    n.put("resumeFrom", str(c.resumeFrom()));
    n.put("workDir", str(c.workDir()));
    n.put("learningRate", c.learningRate());
    n.put("warmupEpochs", c.warmupEpochs());
    n.put("distill", c.distill());
    n.put("precision", c.precision().id());
    return n;
  }

  static TrainingEngine.TrainingCommand training(SearchSpace space, JsonNode n) {
    return new TrainingEngine.TrainingCommand(space, architectures(space, n.path("preferred")), path(n, "dataDir"),
        n.path("epochs").asInt(), n.path("batchSize").asInt(), JobOptions.Sampler.valueOf(n.path("sampler").asText()),
        n.path("seed").asLong(), path(n, "initialWeights"), path(n, "resumeFrom"), path(n, "workDir"),
        optionalDouble(n, "learningRate"), optionalDouble(n, "warmupEpochs"), n.path("distill").asBoolean(false),
        precision(n));
  }

  private static Double optionalDouble(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  static ObjectNode outcome(TrainingEngine.TrainingOutcome o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("checkpoint", str(o.checkpoint()));
    n.put("supernetWeights", str(o.supernetWeights()));
    n.put("globalStep", o.globalStep()).put("totalSteps", o.totalSteps()).put("skippedSteps", o.skippedSteps())
        .put("resumedFromStep", o.resumedFromStep()).put("cancelled", o.cancelled());
    n.set("metrics", JSON.valueToTree(o.metrics()));
    return n;
  }

  static TrainingEngine.TrainingOutcome trainingOutcome(JsonNode n) {
    return new TrainingEngine.TrainingOutcome(path(n, "checkpoint"), path(n, "supernetWeights"),
        n.path("globalStep").asLong(), n.path("totalSteps").asLong(), n.path("skippedSteps").asLong(),
        n.path("resumedFromStep").asLong(), n.path("cancelled").asBoolean(), metrics(n));
  }

  static ObjectNode checkpoint(TrainingEngine.CheckpointFile c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("k", "checkpoint").put("file", c.file().toString()).put("step", c.step()).put("sha256", c.sha256());
    return n;
  }

  static TrainingEngine.CheckpointFile checkpoint(JsonNode n) {
    return new TrainingEngine.CheckpointFile(path(n, "file"), n.path("step").asLong(), n.path("sha256").asText());
  }

  // --- evaluation and export -------------------------------------------------------------------------------------

  static ObjectNode evaluation(TrainingEngine.EvaluationCommand c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("supernetWeights", str(c.supernetWeights()));
    n.set("architectures", architectures(c.space(), c.architectures()));
    n.put("dataDir", str(c.dataDir()));
    n.put("batchSize", c.batchSize());
    n.put("seed", c.seed());
    n.put("wholeWhenUnsplit", c.wholeWhenUnsplit());
    n.put("precision", c.precision().id());
    return n;
  }

  static TrainingEngine.EvaluationCommand evaluation(SearchSpace space, JsonNode n) {
    return new TrainingEngine.EvaluationCommand(space, path(n, "supernetWeights"),
        architectures(space, n.path("architectures")), path(n, "dataDir"), n.path("batchSize").asInt(),
        n.path("seed").asLong(), n.path("wholeWhenUnsplit").asBoolean(), precision(n));
  }

  /** The command's precision; fp32 when absent. */
  private static Precision precision(JsonNode n) {
    JsonNode v = n.get("precision");
    return v == null || v.isNull() ? Precision.FP32 : Precision.parse(v.asText());
  }

  static ArrayNode accuracies(SearchSpace space, List<TrainingEngine.Accuracy> list) {
    ArrayNode a = JSON.createArrayNode();
    for (TrainingEngine.Accuracy x : list) {
      ObjectNode r = a.addObject();
      r.set("architecture", space.writeArchitecture(x.architecture()));
      r.put("params", x.params()).put("flops", x.flops()).put("top1", x.top1()).put("top5", x.top5())
          .put("loss", x.loss()).put("images", x.images());
    }
    return a;
  }

  static List<TrainingEngine.Accuracy> accuracies(SearchSpace space, JsonNode a) {
    List<TrainingEngine.Accuracy> out = new ArrayList<>();
    for (JsonNode r : a) {
      out.add(new TrainingEngine.Accuracy(architecture(space, r), r.path("params").asLong(),
          r.path("flops").asDouble(), r.path("top1").asDouble(), r.path("top5").asDouble(),
          r.path("loss").asDouble(), r.path("images").asLong()));
    }
    return out;
  }

  static ObjectNode export(SearchSpace space, Path supernetWeights, List<Architecture> architectures, Path dir,
      TrainingEngine.RecalibrationData recalibration) {
    ObjectNode n = JSON.createObjectNode();
    n.put("supernetWeights", str(supernetWeights));
    n.set("architectures", architectures(space, architectures));
    n.put("dir", str(dir));
    if (recalibration != null) {
      n.putObject("recalibration").put("dataDir", str(recalibration.dataDir())).put("seed", recalibration.seed());
    }
    return n;
  }

  /** The recalibration data of an export command, or {@code null} when it has none. */
  static TrainingEngine.RecalibrationData recalibration(JsonNode export) {
    JsonNode r = export.get("recalibration");
    return r == null || r.isNull() ? null
        : new TrainingEngine.RecalibrationData(path(r, "dataDir"), r.path("seed").asLong());
  }

  static ArrayNode exported(SearchSpace space, List<TrainingEngine.Exported> list) {
    ArrayNode a = JSON.createArrayNode();
    for (TrainingEngine.Exported x : list) {
      ObjectNode r = a.addObject();
      r.set("architecture", space.writeArchitecture(x.architecture()));
      r.put("weights", str(x.weights())).put("config", str(x.config())).put("parameterCount", x.parameterCount())
          .put("tensorCount", x.tensorCount());
    }
    return a;
  }

  static List<TrainingEngine.Exported> exported(SearchSpace space, JsonNode a) {
    List<TrainingEngine.Exported> out = new ArrayList<>();
    for (JsonNode r : a) {
      out.add(new TrainingEngine.Exported(architecture(space, r), path(r, "weights"), path(r, "config"),
          r.path("parameterCount").asLong(), r.path("tensorCount").asInt()));
    }
    return out;
  }

  // --- parts -----------------------------------------------------------------------------------------------------

  static ArrayNode architectures(SearchSpace space, List<Architecture> list) {
    ArrayNode a = JSON.createArrayNode();
    list.forEach(x -> a.add(space.writeArchitecture(x)));
    return a;
  }

  static List<Architecture> architectures(SearchSpace space, JsonNode a) {
    List<Architecture> out = new ArrayList<>();
    a.forEach(x -> out.add(space.readArchitecture(x)));
    return out;
  }

  private static Architecture architecture(SearchSpace space, JsonNode row) {
    return space.readArchitecture(row.path("architecture"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metrics(JsonNode n) {
    return n.hasNonNull("metrics") ? JSON.convertValue(n.get("metrics"), Map.class) : Map.of();
  }

  private static String str(Path p) {
    return p == null ? null : p.toString();
  }

  private static Path path(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : Path.of(v.asText());
  }

  private static Double dbl(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }
}
