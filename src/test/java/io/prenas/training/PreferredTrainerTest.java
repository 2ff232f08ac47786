package io.prenas.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.data.DataSplit;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitArchitecture;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a pico space and synthetic IDX data whose class is the brightest image quadrant. */
class PreferredTrainerTest {

  @TempDir
  Path tmp;

  SearchSpace space;
  DataSplit data;
  List<Architecture> preferred;

  @BeforeEach
  void setUp() throws Exception {
    space = SpaceLoader.load(Path.of("src/test/resources/spaces/pico.yaml"));
    writeIdx(tmp.resolve("data"), "train", 96, 1);
    writeIdx(tmp.resolve("data"), "t10k", 32, 2);
    data = DataSplit.open(tmp.resolve("data"), 0.1, 0);
    preferred = List.of(VitArchitecture.uniform(48, 1, 1.0, 1), VitArchitecture.uniform(64, 2, 2.0, 1),
        new VitArchitecture(64, 2, List.of(1.0, 2.0), List.of(1, 1)));
  }

  private static void writeIdx(Path dir, String prefix, int n, long seed) throws Exception {
    Files.createDirectories(dir);
    Random rng = new Random(seed);
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * 64];
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(4);
      labels[i] = (byte) label;
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          int quadrant = (y / 4) * 2 + x / 4;
          int v = quadrant == label ? 180 + rng.nextInt(60) : rng.nextInt(80);
          pixels[i * 64 + y * 8 + x] = (byte) v;
        }
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
      out.writeInt(0x803);
      out.writeInt(n);
      out.writeInt(8);
      out.writeInt(8);
      out.write(pixels);
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
      out.writeInt(0x801);
      out.writeInt(n);
      out.write(labels);
    }
  }

  private TrainingConfig config(int epochs) {
    // no flip: the label depends on the quadrant
    TrainingConfig d = TrainingConfig.defaults(epochs, 8, "balanced", 5);
    return new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), 0.2, d.warmupLr(), d.minLr(), 0.5,
        d.weightDecay(), 0.1, MixupCutmix.none(0.1), 0, false, 1000, 2, null);
  }

  @Test
  void resumedRunEqualsAnUninterruptedOne() throws Exception {
    // One engine thread: libtorch's multi-threaded CPU kernels are not bitwise reproducible from run to run.
    io.prenas.supernet.TrainingSession.setComputeThreads(1);
    try {
      resumeAndCompare();
    } finally {
      io.prenas.supernet.TrainingSession.setComputeThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private void resumeAndCompare() throws Exception {
    PreferredTrainer trainer = new PreferredTrainer(space, preferred, config(2));
    PreferredTrainer.Result straight = trainer.train(data, tmp.resolve("a"), null, null, ProgressListener.NONE,
        () -> false);
    assertThat(straight.globalStep()).isEqualTo(24);
    assertThat(straight.cancelled()).isFalse();

    AtomicLong steps = new AtomicLong();
    ProgressListener counter = p -> steps.set(p.done());
    PreferredTrainer.Result firstHalf = trainer.train(data, tmp.resolve("b"), null, null, counter,
        () -> steps.get() >= 17); // stops mid-epoch 1 (12 steps per epoch)
    assertThat(firstHalf.cancelled()).isTrue();
    assertThat(firstHalf.globalStep()).isEqualTo(17);
    Checkpoint saved = Checkpoint.read(firstHalf.checkpoint());
    assertThat(saved.state().epoch()).isEqualTo(1);
    assertThat(saved.state().nextBatch()).isEqualTo(5);
    PreferredTrainer.Result rest = trainer.train(data, tmp.resolve("b"), null, saved, ProgressListener.NONE,
        () -> false);
    assertThat(rest.globalStep()).isEqualTo(24);

    Map<String, Tensor> a = Checkpoint.read(straight.checkpoint()).weights();
    Map<String, Tensor> b = Checkpoint.read(rest.checkpoint()).weights();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String key : a.keySet()) {
      assertThat(b.get(key).toFloats()).as(key).containsExactly(a.get(key).toFloats());
    }
    assertThat(Checkpoint.read(rest.checkpoint()).optimizerState()).isNotEmpty();
  }

  @Test
  void eachCheckpointIsReportedWithItsStepAndHashAndTheEndWritesTheSupernetFile() throws Exception {
    TrainingConfig d = config(1);
    TrainingConfig every5 = new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), d.lrPer512(),
        d.warmupLr(), d.minLr(), d.warmupEpochs(), d.weightDecay(), d.dropPathRate(), d.mixup(), d.gradClipNorm(),
        d.flip(), 5, d.loaderThreads(), d.device());
    List<CheckpointListener.CheckpointWritten> written = new java.util.ArrayList<>();
    List<String> hashesOnDisk = new java.util.ArrayList<>();
    PreferredTrainer.Result r = new PreferredTrainer(space, preferred, every5).train(data, tmp.resolve("cb"), null,
        null, ProgressListener.NONE, c -> {
          written.add(c);
          hashesOnDisk.add(sha256(c.file())); // complete when reported: the bytes hash to what was reported
        }, () -> false);

    assertThat(written).extracting(CheckpointListener.CheckpointWritten::step).containsExactly(5L, 10L, 12L);
    assertThat(written).allSatisfy(c -> assertThat(c.file()).isEqualTo(r.checkpoint()));
    assertThat(written).extracting(CheckpointListener.CheckpointWritten::sha256).isEqualTo(hashesOnDisk);
    assertThat(r.supernet()).isEqualTo(tmp.resolve("cb").resolve(PreferredTrainer.SUPERNET));
    Map<String, Tensor> supernet = io.prenas.tensorio.Safetensors.read(r.supernet()).tensors();
    Map<String, Tensor> fromCheckpoint = Checkpoint.readWeights(r.checkpoint());
    assertThat(supernet.keySet()).containsExactlyElementsOf(fromCheckpoint.keySet());
    for (String key : supernet.keySet()) {
      assertThat(supernet.get(key).toFloats()).as(key).containsExactly(fromCheckpoint.get(key).toFloats());
    }
    assertThat(Checkpoint.readWeights(r.supernet()).keySet()).isEqualTo(supernet.keySet());
  }

  @Test
  void aCancelledRunReportsItsCheckpointAndWritesNoSupernetFile() throws Exception {
    List<Long> steps = new java.util.ArrayList<>();
    AtomicLong done = new AtomicLong();
    PreferredTrainer.Result r = new PreferredTrainer(space, preferred, config(1)).train(data, tmp.resolve("x"), null,
        null, p -> done.set(p.done()), c -> steps.add(c.step()), () -> done.get() >= 3);
    assertThat(r.cancelled()).isTrue();
    assertThat(steps).containsExactly(3L);
    assertThat(r.supernet()).isNull();
    assertThat(tmp.resolve("x").resolve(PreferredTrainer.SUPERNET)).doesNotExist();
  }

  private static String sha256(Path file) throws java.io.IOException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void trainingLearnsTheTaskAndEvaluationReportsEveryArchitecture() throws Exception {
    PreferredTrainer trainer = new PreferredTrainer(space, preferred, config(6));
    PreferredTrainer.Result r = trainer.train(data, tmp.resolve("out"), null, null, ProgressListener.NONE,
        () -> false);
    List<ArchitectureEntry> entries = List.of(new ArchitectureEntry(0, "a", preferred.get(0)),
        new ArchitectureEntry(1, "b", preferred.get(1)), new ArchitectureEntry(2, "c", preferred.get(2)));
    List<TrainingProgress> reports = new java.util.ArrayList<>();
    List<Evaluator.Measurement> m = new Evaluator(space, 16, 1).evaluate(Checkpoint.read(r.checkpoint()).weights(),
        entries, data.validation(), reports::add, () -> false);
    assertThat(m).hasSize(3);
    for (Evaluator.Measurement x : m) {
      assertThat(x.images()).isEqualTo(32);
      assertThat(x.acc5()).isEqualTo(100.0); // 4 classes
    }
    // the largest subnet must beat chance (25%) clearly on this easy task
    assertThat(m.get(1).acc1()).isGreaterThan(50.0);
    assertThat(reports).last().satisfies(p -> assertThat(p.done()).isEqualTo(p.total()));
    Path results = tmp.resolve("results.json");
    Evaluator.write(results, m);
    assertThat(Evaluator.read(results)).isEqualTo(m);
  }

  @Test
  void nonFiniteLossSkipsTheStepWithoutTouchingWeights() {
    TrainingSession.Settings settings = new TrainingSession.Settings(0.05, 0, 0, null);
    try (TrainingSession s = TrainingSession.open(space, null, null, 0, 1, settings)) {
      Map<String, Tensor> before = s.weights();
      float[] x = new float[2 * 16 * 16];
      x[3] = Float.NaN;
      float[] targets = {1, 0, 0, 0, 0, 1, 0, 0};
      TrainingSession.StepResult r = s.step(preferred.get(1), x, new long[] {2, 1, 16, 16}, targets, 1e-3, 0);
      assertThat(r.skipped()).isTrue();
      assertThat(s.weights()).isEqualTo(before);
      assertThat(s.optimizerSteps()).isZero();
      TrainingSession.StepResult ok = s.step(preferred.get(1), new float[2 * 16 * 16], new long[] {2, 1, 16, 16},
          targets, 1e-3, 0);
      assertThat(ok.skipped()).isFalse();
      assertThat(s.weights()).isNotEqualTo(before);
    }
  }

  @Test
  void skippedStepsAreCountedPerArchitectureAndSurviveResume() throws Exception {
    Map<String, Tensor> poisoned = new java.util.LinkedHashMap<>();
    try (TrainingSession s = TrainingSession.open(space, null, null, 0, 1,
        new TrainingSession.Settings(0.05, 0, 0, null))) {
      poisoned.putAll(s.weights());
    }
    Tensor bias = poisoned.get("head.bias");
    float[] nan = bias.toFloats();
    nan[0] = Float.NaN; // every logit row gets a NaN, so every loss is NaN
    poisoned.put("head.bias", Tensor.ofFloats(bias.shape(), nan));
    PreferredTrainer trainer = new PreferredTrainer(space, preferred, config(1));
    Map<String, Long> drawn = new java.util.TreeMap<>();
    for (int b = 0; b < 12; b++) {
      drawn.merge(trainer.sampler().sample(5, 0, b).id(), 1L, Long::sum);
    }
    List<String> messages = new java.util.ArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(TrainingProgress p) {}

      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    };
    PreferredTrainer.Result straight = trainer.train(data, tmp.resolve("a"), poisoned, null, listener, () -> false);
    assertThat(straight.skippedSteps()).isEqualTo(12);
    assertThat(straight.skipped().byArchitecture()).isEqualTo(drawn);
    assertThat(messages).filteredOn(m -> m.contains("skipped:")).hasSize(12)
        .allMatch(m -> m.matches("step \\d+ skipped: non-finite loss NaN \\(e\\d+_d\\d+_.*\\)"));

    AtomicLong steps = new AtomicLong();
    PreferredTrainer.Result firstPart = trainer.train(data, tmp.resolve("b"), poisoned, null, p -> steps.set(p.done()),
        () -> steps.get() >= 5);
    Checkpoint saved = Checkpoint.read(firstPart.checkpoint());
    assertThat(saved.state().skippedByArchitecture().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(5);
    PreferredTrainer.Result rest = trainer.train(data, tmp.resolve("b"), null, saved, ProgressListener.NONE,
        () -> false);
    assertThat(rest.skipped()).isEqualTo(straight.skipped());
    assertThat(Checkpoint.read(rest.checkpoint()).state().skippedByArchitecture()).isEqualTo(drawn);
  }
}
