package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.selector.ScoreMode;
import java.nio.file.Path;
import io.prenas.supernet.Precision;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The typed options of each job type: enums parsed once from the stored options, errors naming the field. */
class TypedJobOptionsTest {

  private static final Path ROOT = Path.of("/data/root");

  private static JobOptions options(String scoreMode, String sampler) {
    return new JobOptions(null, null, null, null, null, scoreMode, null, null, sampler, null, null, null, null, null,
        null, null);
  }

  @Test
  void samplerAndScoreModeAreEnumsWithTheirOptionSpelling() {
    assertThat(JobOptions.Sampler.parse("balanced")).isEqualTo(JobOptions.Sampler.BALANCED);
    assertThat(JobOptions.Sampler.parse("uniform")).isEqualTo(JobOptions.Sampler.UNIFORM);
    assertThat(JobOptions.Sampler.parse("redundant")).isEqualTo(JobOptions.Sampler.REDUNDANT);
    assertThat(JobOptions.ScoreMode.parse("subnet")).isEqualTo(JobOptions.ScoreMode.SUBNET);
    assertThat(JobOptions.ScoreMode.parse("reference")).isEqualTo(JobOptions.ScoreMode.REFERENCE);
    assertThat(JobOptions.Sampler.REDUNDANT.apiName()).isEqualTo("redundant");
  }

  @Test
  void anUnknownValueNamesTheFieldAndTheChoicesInAFixedOrder() {
    assertThatThrownBy(() -> options(null, "lucky")).isInstanceOfSatisfying(JobOptionException.class, e -> {
      assertThat(e.field()).isEqualTo("options.sampler");
      assertThat(e.getMessage()).contains("must be one of [balanced, uniform, redundant], got 'lucky'");
    });
    assertThatThrownBy(() -> options("Reference", null)).isInstanceOfSatisfying(JobOptionException.class, e -> {
      assertThat(e.field()).isEqualTo("options.scoreMode");
      assertThat(e.getMessage()).contains("must be one of [subnet, reference], got 'Reference'");
    });
  }

  @Test
  void eachTypeGetsItsDefaultsAsTypedValues() {
    JobOptions training = JobOptions.none().withDefaults(JobType.TRAINING);
    TrainingOptions t = TrainingOptions.of(training, DataPath.of(training, ROOT));
    assertThat(t.sampler()).isEqualTo(JobOptions.Sampler.BALANCED);
    assertThat(t.epochs()).isEqualTo(1);
    assertThat(t.batchSize()).isEqualTo(64);
    assertThat(t.seed()).isZero();
    assertThat(t.data().present()).isFalse();

    JobOptions selection = JobOptions.none().withDefaults(JobType.SELECTION);
    SelectionOptions s = SelectionOptions.of(selection, DataPath.of(selection, ROOT));
    assertThat(s.scoreMode()).isEqualTo(JobOptions.ScoreMode.SUBNET);
    assertThat(s.candidatesPerBin()).isEqualTo(1);
    assertThat(s.batchSize()).isEqualTo(16);

    UUID from = UUID.randomUUID();
    JobOptions pipeline = new JobOptions("fashion", 1.0, 5.0, 1.0, 2, "reference", 3, 8, "uniform", 7L, null, null,
        null, null, null, null)
        .withDefaults(JobType.PIPELINE);
    PipelineOptions p = PipelineOptions.of(pipeline, DataPath.of(pipeline, ROOT));
    assertThat(p.selection().scoreMode()).isEqualTo(JobOptions.ScoreMode.REFERENCE);
    assertThat(p.selection().binMax()).isEqualTo(5.0);
    assertThat(p.training().sampler()).isEqualTo(JobOptions.Sampler.UNIFORM);
    assertThat(p.training().epochs()).isEqualTo(3);
    assertThat(p.data().dir()).isEqualTo(ROOT.resolve("fashion"));
    assertThat(p.data().given()).isEqualTo("fashion");

    JobOptions evaluation = new JobOptions(null, null, null, null, null, null, null, 16, null, null, null, from, null, null, null, null)
        .withDefaults(JobType.EVALUATION);
    EvaluationOptions e = EvaluationOptions.of(evaluation, DataPath.of(evaluation, ROOT));
    assertThat(e.trainingJob()).isEqualTo(from);
    assertThat(e.batchSize()).isEqualTo(16);
  }

  @Test
  void aTrainingsLearningRateAndWarmUpAreCheckedAndReachItsOptions() {
    JobOptions tuned = schedule(2, 1e-3, 0.2);
    tuned.requireAllowedFor(JobType.PIPELINE);
    TrainingOptions t = TrainingOptions.of(tuned.withDefaults(JobType.PIPELINE), null);
    assertThat(t.learningRate()).isEqualTo(1e-3);
    assertThat(t.warmupEpochs()).isEqualTo(0.2);
    assertThat(TrainingOptions.of(JobOptions.none().withDefaults(JobType.TRAINING), null).learningRate())
        .as("unset: the recipe's rule").isNull();
    assertThatThrownBy(() -> schedule(2, 0.0, null)).isInstanceOfSatisfying(JobOptionException.class,
        e -> assertThat(e.field()).isEqualTo("options.learningRate"));
    assertThatThrownBy(() -> schedule(2, 2.0, null)).isInstanceOfSatisfying(JobOptionException.class,
        e -> assertThat(e.field()).isEqualTo("options.learningRate"));
    assertThatThrownBy(() -> schedule(2, null, 3.0)).isInstanceOfSatisfying(JobOptionException.class,
        e -> assertThat(e.field()).isEqualTo("options.warmupEpochs"));
    assertThatThrownBy(() -> schedule(null, 1e-3, null).requireAllowedFor(JobType.SELECTION))
        .isInstanceOfSatisfying(JobOptionException.class,
            e -> assertThat(e.field()).isEqualTo("options.learningRate"));
  }

  @Test
  void distillIsATrainingOptionStoredAsFalseWhenUnsetAndRefusedElsewhere() throws Exception {
    JobOptions on = new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, true);
    on.requireAllowedFor(JobType.TRAINING);
    on.requireAllowedFor(JobType.PIPELINE);
    assertThat(TrainingOptions.of(on.withDefaults(JobType.TRAINING), null).distill()).isTrue();
    assertThat(PipelineOptions.of(on.withDefaults(JobType.PIPELINE), null).training().distill()).isTrue();
    JobOptions unset = JobOptions.none().withDefaults(JobType.TRAINING);
    assertThat(unset.distill()).as("the row records what ran").isFalse();
    assertThat(TrainingOptions.of(unset, null).distill()).isFalse();
    assertThat(JobOptions.none().withDefaults(JobType.SELECTION).distill()).isNull();
    // a row stored before the option existed has no distill: off
    JobOptions old = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        "{\"epochs\":1,\"batchSize\":64,\"sampler\":\"balanced\",\"seed\":0}", JobOptions.class);
    assertThat(old.distill()).isNull();
    assertThat(TrainingOptions.of(old, null).distill()).isFalse();
    for (JobType type : new JobType[] {JobType.SELECTION, JobType.EVALUATION}) {
      assertThatThrownBy(() -> on.requireAllowedFor(type)).isInstanceOfSatisfying(JobOptionException.class,
          e -> assertThat(e.field()).isEqualTo("options.distill"));
    }
  }

  @Test
  void precisionIsCheckedDefaultsToFp32AndReachesSelectionTrainingAndEvaluation() {
    JobOptions bf16 = new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, "BF16");
    assertThat(bf16.precision()).as("stored in its canonical spelling").isEqualTo("bf16");
    bf16.requireAllowedFor(JobType.TRAINING);
    bf16.requireAllowedFor(JobType.PIPELINE);
    bf16.requireAllowedFor(JobType.EVALUATION);
    bf16.requireAllowedFor(JobType.SELECTION);
    assertThat(SelectionOptions.of(bf16.withDefaults(JobType.SELECTION), DataPath.NONE).precision())
        .isEqualTo(Precision.BF16);
    assertThat(PipelineOptions.of(bf16.withDefaults(JobType.PIPELINE), null).selection().precision())
        .as("a pipeline's selection runs in its precision too").isEqualTo(Precision.BF16);
    assertThat(TrainingOptions.of(bf16.withDefaults(JobType.PIPELINE), null).precision()).isEqualTo(Precision.BF16);
    assertThat(EvaluationOptions.of(bf16.withDefaults(JobType.EVALUATION), DataPath.NONE).precision())
        .isEqualTo(Precision.BF16);
    assertThat(JobOptions.none().withDefaults(JobType.TRAINING).precision()).isEqualTo("fp32");
    assertThat(JobOptions.none().withDefaults(JobType.EVALUATION).precision()).isEqualTo("fp32");
    assertThat(JobOptions.none().withDefaults(JobType.SELECTION).precision()).isEqualTo("fp32");
    assertThat(JobOptions.none().precisionOrDefault()).as("a row from before the option").isEqualTo(Precision.FP32);
    assertThatThrownBy(() -> new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, "fp16")).isInstanceOfSatisfying(JobOptionException.class, e -> {
          assertThat(e.field()).isEqualTo("options.precision");
          assertThat(e.getMessage()).contains("fp32 or bf16");
        });
  }

  private static JobOptions schedule(Integer epochs, Double learningRate, Double warmupEpochs) {
    return new JobOptions(null, null, null, null, null, null, epochs, null, null, null, null, null, null, null,
        learningRate, warmupEpochs);
  }

  @Test
  void anEvaluationOfTheImportedSupernetPublishesByDefaultAndNeedsData() {
    UUID table = UUID.randomUUID();
    JobOptions imported = evaluation("val", table, null, "imported", null);
    imported.requireAllowedFor(JobType.EVALUATION);
    EvaluationOptions e = EvaluationOptions.of(imported.withDefaults(JobType.EVALUATION),
        DataPath.of(imported, ROOT));
    assertThat(e.supernet()).isEqualTo(JobOptions.SupernetSource.IMPORTED);
    assertThat(e.selectionJob()).isEqualTo(table);
    assertThat(e.publish()).isTrue();
    assertThat(e.data().dir()).isEqualTo(ROOT.resolve("val"));

    JobOptions trained = JobOptions.none().withDefaults(JobType.EVALUATION);
    assertThat(trained.supernet()).isEqualTo("trained");
    assertThat(trained.publish()).as("a trained supernet's pipeline publishes").isFalse();
    assertThat(evaluation("val", null, null, "imported", false).withDefaults(JobType.EVALUATION).publish())
        .isFalse();

    assertThatThrownBy(() -> evaluation(null, table, null, "imported", null).requireAllowedFor(JobType.EVALUATION))
        .isInstanceOfSatisfying(JobOptionException.class,
            x -> assertThat(x.field()).isEqualTo("options.dataPath"));
    assertThatThrownBy(() -> evaluation("val", null, UUID.randomUUID(), "imported", null))
        .isInstanceOfSatisfying(JobOptionException.class,
            x -> assertThat(x.field()).isEqualTo("options.trainingJob"));
    assertThatThrownBy(() -> evaluation("val", null, null, "downloaded", null))
        .isInstanceOfSatisfying(JobOptionException.class, x -> {
          assertThat(x.field()).isEqualTo("options.supernet");
          assertThat(x.getMessage()).contains("must be one of [trained, imported]");
        });
    assertThatThrownBy(() -> evaluation("val", null, null, "imported", null).requireAllowedFor(JobType.TRAINING))
        .isInstanceOfSatisfying(JobOptionException.class,
            x -> assertThat(x.field()).isEqualTo("options.supernet"));
  }

  private static JobOptions evaluation(String dataPath, UUID selectionJob, UUID trainingJob, String supernet,
      Boolean publish) {
    return new JobOptions(dataPath, null, null, null, null, null, null, null, null, null, selectionJob, trainingJob,
        supernet, publish, null, null);
  }

  @Test
  void aJobWithoutDataFailsWithTheReasonItAlwaysGave() {
    assertThatThrownBy(() -> DataPath.NONE.requireFolder(JobType.PIPELINE)).isInstanceOf(JobFailedException.class)
        .hasMessageStartingWith("options.dataPath: a pipeline job needs training data");
    assertThatThrownBy(() -> new DataPath("gone", ROOT.resolve("gone")).requireFolder(JobType.TRAINING))
        .hasMessage("options.dataPath: no folder at 'gone' in the data directory");
    assertThat(DataPath.NONE.optionalBatch()).isNull();
  }
}
