package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.job.JobOptions;
import io.prenas.job.SelectionEngine;
import io.prenas.job.TrainingEngine;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.supernet.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The engine ports' commands and results survive the trip to an engine process and back (through JSON text). */
class EngineMessagesTest {

  private final SearchSpace space = load();

  private static SearchSpace load() {
    try {
      return SpaceLoader.parse("pico", Files.readString(Path.of("src/test/resources/spaces/pico.yaml")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode trip(JsonNode n) throws Exception {
    return EngineMessages.JSON.readTree(n.toString());
  }

  @Test
  void aSelectionCommandAndItsOutcome() throws Exception {
    SelectionEngine.Command c = new SelectionEngine.Command(space, Path.of("/s/w.safetensors"), null, 0.1, null,
        0.05, 3, JobOptions.ScoreMode.REFERENCE, 8, 42);
    assertThat(EngineMessages.selection(space, trip(EngineMessages.selection(c)))).isEqualTo(c);
    SelectionEngine.Command bf16 = new SelectionEngine.Command(space, null, null, null, null, null, 1,
        JobOptions.ScoreMode.SUBNET, 16, 0, Precision.BF16);
    assertThat(EngineMessages.selection(space, trip(EngineMessages.selection(bf16)))).isEqualTo(bf16);

    Architecture a = space.sample(new SplittableRandom(1));
    SelectionEngine.Outcome o = new SelectionEngine.Outcome(List.of(new SelectionEngine.Preferred("0.1", 0.05, 0.1,
        1, a, space.params(a), space.flops(a), Double.NaN)), Map.of("enumerated", 12, "bins", Map.of("min", 0.05)));
    SelectionEngine.Outcome back = EngineMessages.outcome(space, trip(EngineMessages.outcome(space, o)));
    assertThat(back.preferred()).hasSize(1);
    SelectionEngine.Preferred p = back.preferred().get(0);
    assertThat(p.architecture()).isEqualTo(a);
    assertThat(p.params()).isEqualTo(space.params(a));
    assertThat(p.score()).isNaN();
    assertThat(back.metrics()).isEqualTo(o.metrics());
  }

  @Test
  void aTrainingCommandItsCheckpointsAndItsOutcome() throws Exception {
    List<Architecture> preferred = List.of(space.maxArchitecture(), space.sample(new SplittableRandom(2)));
    TrainingEngine.TrainingCommand c = new TrainingEngine.TrainingCommand(space, preferred, Path.of("/d"), 3, 16,
        JobOptions.Sampler.BALANCED, 7, null, Path.of("/c/ck.safetensors"), Path.of("/w"), null, null);
    assertThat(EngineMessages.training(space, trip(EngineMessages.training(c)))).isEqualTo(c);
    TrainingEngine.TrainingCommand tuned = new TrainingEngine.TrainingCommand(space, preferred, Path.of("/d"), 3, 16,
        JobOptions.Sampler.BALANCED, 7, null, null, Path.of("/w"), 2e-3, 0.25);
    assertThat(EngineMessages.training(space, trip(EngineMessages.training(tuned)))).isEqualTo(tuned);
    assertThat(EngineMessages.training(c).get("distill").asBoolean()).isFalse();
    TrainingEngine.TrainingCommand distilled = new TrainingEngine.TrainingCommand(space, preferred, Path.of("/d"), 3,
        16, JobOptions.Sampler.BALANCED, 7, null, null, Path.of("/w"), null, null, true);
    assertThat(EngineMessages.training(distilled).get("distill").asBoolean()).isTrue();
    assertThat(EngineMessages.training(space, trip(EngineMessages.training(distilled)))).isEqualTo(distilled);
    TrainingEngine.TrainingCommand bf16 = new TrainingEngine.TrainingCommand(space, preferred, Path.of("/d"), 3, 16,
        JobOptions.Sampler.BALANCED, 7, null, null, Path.of("/w"), null, null, Precision.BF16);
    assertThat(EngineMessages.training(space, trip(EngineMessages.training(bf16)))).isEqualTo(bf16);
    assertThat(c.precision()).as("unset: fp32").isEqualTo(Precision.FP32);

    TrainingEngine.CheckpointFile ck = new TrainingEngine.CheckpointFile(Path.of("/w/ck"), 200, "ab".repeat(32));
    assertThat(EngineMessages.checkpoint(trip(EngineMessages.checkpoint(ck)))).isEqualTo(ck);

    TrainingEngine.TrainingOutcome o = new TrainingEngine.TrainingOutcome(Path.of("/w/ck"), null, 300, 300, 2, 200,
        true, Map.of("loss", 1.5));
    assertThat(EngineMessages.trainingOutcome(trip(EngineMessages.outcome(o)))).isEqualTo(o);
  }

  @Test
  void evaluationAndExport() throws Exception {
    List<Architecture> archs = List.of(space.maxArchitecture());
    TrainingEngine.EvaluationCommand c = new TrainingEngine.EvaluationCommand(space, Path.of("/s"), archs,
        Path.of("/d"), 32, 5, true);
    assertThat(EngineMessages.evaluation(space, trip(EngineMessages.evaluation(c)))).isEqualTo(c);
    TrainingEngine.EvaluationCommand bf16 = new TrainingEngine.EvaluationCommand(space, Path.of("/s"), archs,
        Path.of("/d"), 32, 5, false, Precision.BF16);
    assertThat(EngineMessages.evaluation(space, trip(EngineMessages.evaluation(bf16)))).isEqualTo(bf16);
    List<TrainingEngine.Accuracy> acc = List.of(new TrainingEngine.Accuracy(archs.get(0), 10, 2e6, 75.5, 99.0, 0.7,
        100));
    assertThat(EngineMessages.accuracies(space, trip(EngineMessages.accuracies(space, acc)))).isEqualTo(acc);
    List<TrainingEngine.Exported> ex = List.of(new TrainingEngine.Exported(archs.get(0), Path.of("/x/0.safetensors"),
        Path.of("/x/0.json"), 1234, 9));
    assertThat(EngineMessages.exported(space, trip(EngineMessages.exported(space, ex)))).isEqualTo(ex);
  }
}
