package io.prenas.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.cnn.engine.CnnModel;
import io.prenas.data.DataSplit;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preferred training of a CNN supernet (issue 16, point 4) on a pico space with two resolutions (12 and 16) and
 * synthetic 8x8 IDX images: every step runs the sampled architecture at its own resolution, BatchNorm running
 * statistics travel in checkpoints and an interrupted run resumes exactly, evaluation recalibrates each architecture
 * at its resolution, and the standalone export made after that recalibration computes the recalibrated slice.
 */
class CnnTrainingTest {

  @TempDir
  Path tmp;

  SearchSpace space;
  DataSplit data;
  List<Architecture> preferred;

  @BeforeEach
  void setUp() throws Exception {
    space = SpaceLoader.load(Path.of("src/test/resources/spaces/cnn-pico.yaml"));
    writeIdx(tmp.resolve("data"), "train", 80, 1);
    writeIdx(tmp.resolve("data"), "t10k", 24, 2);
    data = DataSplit.open(tmp.resolve("data"), 0.1, 0);
    preferred = List.of(arch("{\"resolution\":12,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,\"kernels\":[3]},"
        + "{\"width\":8,\"depth\":1,\"kernels\":[3]}],\"head\":16}"),
        arch("{\"resolution\":16,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,\"kernels\":[3]},"
            + "{\"width\":16,\"depth\":2,\"kernels\":[5,3]}],\"head\":32}"));
  }

  private Architecture arch(String json) throws Exception {
    Architecture a = space.readArchitecture(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    space.validate(a);
    return a;
  }

  /** Class = the brightest quadrant of an 8x8 grey image. */
  static void writeIdx(Path dir, String prefix, int n, long seed) throws Exception {
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
          pixels[i * 64 + y * 8 + x] = (byte) (quadrant == label ? 180 + rng.nextInt(60) : rng.nextInt(80));
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

  private static TrainingConfig config(int epochs) {
    TrainingConfig d = TrainingConfig.defaults(epochs, 8, "balanced", 5);
    return new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), 0.2, d.warmupLr(), d.minLr(), 0.5,
        d.weightDecay(), 0.0, MixupCutmix.none(0.1), 0, false, 1000, 2, null);
  }

  @Test
  void stepsRunAtEachResolutionCheckpointsKeepTheStatisticsAndResumeIsExact() throws Exception {
    io.prenas.supernet.TrainingSession.setComputeThreads(1); // bitwise-reproducible CPU kernels
    try {
      PreferredTrainer trainer = new PreferredTrainer(space, preferred, config(2));
      List<String> trained = new ArrayList<>();
      PreferredTrainer.Result straight = trainer.train(data, tmp.resolve("a"), null, null,
          p -> trained.add(p.architecture()), () -> false);
      assertThat(straight.globalStep()).isEqualTo(20); // 80 training images / 8, two epochs
      assertThat(straight.skippedSteps()).isZero();
      assertThat(Double.isFinite(straight.lastLoss())).isTrue();
      assertThat(trained).contains(preferred.get(0).id(), preferred.get(1).id()); // both resolutions trained

      Map<String, Tensor> a = Checkpoint.read(straight.checkpoint()).weights();
      String mean = "stages.1.layers.0.expand.bn.running_mean";
      assertThat(a).containsKey(mean);
      assertThat(a.get(mean).toFloats()).as("training moves the running statistics").isNotEqualTo(new float[48]);

      AtomicLong steps = new AtomicLong();
      PreferredTrainer.Result half = trainer.train(data, tmp.resolve("b"), null, null, p -> steps.set(p.done()),
          () -> steps.get() >= 13);
      assertThat(half.cancelled()).isTrue();
      PreferredTrainer.Result rest = trainer.train(data, tmp.resolve("b"), null, Checkpoint.read(half.checkpoint()),
          ProgressListener.NONE, () -> false);
      assertThat(rest.globalStep()).isEqualTo(20);
      Map<String, Tensor> b = Checkpoint.read(rest.checkpoint()).weights();
      assertThat(b.keySet()).isEqualTo(a.keySet());
      for (String key : a.keySet()) {
        assertThat(b.get(key).toFloats()).as(key).containsExactly(a.get(key).toFloats());
      }
    } finally {
      io.prenas.supernet.TrainingSession.setComputeThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  @Test
  void evaluationRecalibratesEachArchitectureAndTheExportCarriesItsStatistics() throws Exception {
    PreferredTrainer.Result r = new PreferredTrainer(space, preferred, config(1)).train(data, tmp.resolve("t"), null,
        null, ProgressListener.NONE, () -> false);
    Map<String, Tensor> weights = Safetensors.read(r.supernet()).tensors();
    Recalibration recal = new Recalibration(data::train, 3, 8, 7, 1);
    List<ArchitectureEntry> entries = List.of(new ArchitectureEntry(0, null, preferred.get(0)),
        new ArchitectureEntry(1, null, preferred.get(1)));
    List<String> messages = new ArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(TrainingProgress p) {}

      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    };
    Evaluator evaluator = new Evaluator(space, 8, 1);
    List<Evaluator.Measurement> recalibrated = evaluator.evaluate(weights, entries, data.validation(), recal,
        listener, () -> false);
    List<Evaluator.Measurement> stored = evaluator.evaluate(weights, entries, data.validation(), listener,
        () -> false);
    assertThat(recalibrated).hasSize(2);
    assertThat(messages).anyMatch(m -> m.contains("recalibrated per architecture on 3 batches"))
        .anyMatch(m -> m.contains("not recalibrated"));
    assertThat(recalibrated.get(1).loss()).as("recalibration changes what is measured")
        .isNotEqualTo(stored.get(1).loss());

    // the export right after recalibrating computes the recalibrated slice, at the architecture's own resolution
    List<Tensor> batches = recal.draw(space);
    assertThat(batches).hasSize(3);
    assertThat(batches.get(0).shape()).containsExactly(8, 1, 16, 16); // the largest resolution
    SupernetFactory factory = ModelFamilies.port(space, SupernetFactory.class);
    Tensor images = batches.get(1);
    try (Supernet net = factory.fromTensors(space, weights, "cpu")) {
      for (int i = 0; i < preferred.size(); i++) {
        Architecture arch = preferred.get(i);
        int side = space.inputSize(arch);
        Recalibration.apply(net, arch, batches);
        Tensor x = resized(net, images, side);
        Tensor slice = net.logits(arch, x);
        SupernetFactory.Exported e = factory.export(net, arch, tmp.resolve(i + ".safetensors"),
            tmp.resolve(i + ".json"));
        assertThat(Safetensors.read(e.weights()).metadata()).containsEntry("bn_statistics", "recalibrated");
        try (CnnModel model = CnnModel.load(e.weights(), "cpu")) {
          float[] got = model.logits(x).toFloats();
          float[] want = slice.toFloats();
          for (int k = 0; k < want.length; k++) {
            assertThat((double) Math.abs(got[k] - want[k])).as("%s logit %d", arch.id(), k).isLessThan(1e-5);
          }
        }
      }
    }
  }

  private static Tensor resized(Supernet net, Tensor images, int side) {
    try (ai.djl.ndarray.NDManager m = net.parameters().manager().newSubManager()) {
      return io.prenas.supernet.NdConvert.toTensor(io.prenas.supernet.ImageResize.toSide(
          io.prenas.supernet.NdConvert.toNd(m, images), side));
    }
  }
}
