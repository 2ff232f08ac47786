package io.prenas.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.data.DataSplit;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceLoader;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preferred training with BigNAS in-place distillation on the CNN pico space (two resolutions, 12 and 16): the
 * teacher is the largest preferred architecture, the setting travels in checkpoints, a resumed run equals an
 * uninterrupted one bit for bit, a resume with another setting is refused, and an off run is what it was before;
 * a ViT space distills through the same seam.
 */
class DistillationTrainingTest {

  @TempDir
  Path tmp;

  SearchSpace space;
  DataSplit data;
  List<Architecture> preferred;

  @BeforeEach
  void setUp() throws Exception {
    TrainingSession.setComputeThreads(1); // bitwise-reproducible CPU kernels
    space = SpaceLoader.load(Path.of("src/test/resources/spaces/cnn-pico.yaml"));
    CnnTrainingTest.writeIdx(tmp.resolve("data"), "train", 80, 1);
    CnnTrainingTest.writeIdx(tmp.resolve("data"), "t10k", 24, 2);
    data = DataSplit.open(tmp.resolve("data"), 0.1, 0);
    preferred = List.of(arch(SMALL), arch(LARGE), arch(MIDDLE));
  }

  @AfterEach
  void restoreThreads() {
    TrainingSession.setComputeThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  private static final String SMALL = "{\"resolution\":12,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,"
      + "\"kernels\":[3]},{\"width\":8,\"depth\":1,\"kernels\":[3]}],\"head\":16}";
  private static final String LARGE = "{\"resolution\":16,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,"
      + "\"kernels\":[3]},{\"width\":16,\"depth\":2,\"kernels\":[5,3]}],\"head\":32}";
  private static final String MIDDLE = "{\"resolution\":16,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,"
      + "\"kernels\":[3]},{\"width\":8,\"depth\":1,\"kernels\":[3]}],\"head\":16}";

  private Architecture arch(String json) throws Exception {
    Architecture a = space.readArchitecture(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    space.validate(a);
    return a;
  }

  private static TrainingConfig config(Distillation distillation) {
    TrainingConfig d = TrainingConfig.defaults(2, 8, "balanced", 5);
    return new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), 0.2, d.warmupLr(), d.minLr(), 0.5,
        d.weightDecay(), 0.0, MixupCutmix.none(0.1), 0, false, 1000, 2, null).withDistillation(distillation);
  }

  @Test
  void theTeacherIsTheLargestPreferredArchitectureByFlopsAndTheFirstOfATie() throws Exception {
    assertThat(Distillation.teacher(space, preferred)).isSameAs(preferred.get(1));
    assertThat(space.flops(preferred.get(1))).isGreaterThan(space.flops(preferred.get(2)));
    Architecture first = arch(LARGE);
    Architecture second = arch(LARGE); // equal FLOPs and params: the list order decides
    assertThat(Distillation.teacher(space, List.of(preferred.get(0), first, second))).isSameAs(first);
    assertThat(Distillation.teacher(space, List.of(second, first))).isSameAs(second);
  }

  @Test
  void distillationIsOffByDefaultAndAnOffRunWritesNoSettingIntoItsCheckpoint() throws Exception {
    assertThat(TrainingConfig.defaults(1, 8, "balanced", 0).distillation()).isEqualTo(Distillation.OFF);
    PreferredTrainer.Result off = new PreferredTrainer(space, preferred, config(Distillation.OFF))
        .train(data, tmp.resolve("off"), null, null, ProgressListener.NONE, () -> false);
    String meta = Safetensors.read(off.checkpoint()).metadata().get(Checkpoint.METADATA_KEY);
    assertThat(meta).doesNotContain("distillation"); // the same bytes as before the setting existed
    assertThat(Checkpoint.read(off.checkpoint()).state().distillationOrOff()).isEqualTo(Distillation.OFF);

    PreferredTrainer.Result on = new PreferredTrainer(space, preferred, config(Distillation.on(1)))
        .train(data, tmp.resolve("on"), null, null, ProgressListener.NONE, () -> false);
    assertThat(Checkpoint.read(on.checkpoint()).state().distillation()).isEqualTo(Distillation.on(1));
    Map<String, Tensor> a = Checkpoint.read(off.checkpoint()).weights();
    Map<String, Tensor> b = Checkpoint.read(on.checkpoint()).weights();
    String key = "classifier.weight";
    assertThat(b.get(key).toFloats()).as("distillation changes the training").isNotEqualTo(a.get(key).toFloats());
  }

  @Test
  void aDistilledRunResumesExactlyAndReportsTheTeacherAndItsLoss() throws Exception {
    PreferredTrainer trainer = new PreferredTrainer(space, preferred, config(Distillation.on(1)));
    List<String> messages = new ArrayList<>();
    List<TrainingProgress> reports = new ArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(TrainingProgress p) {
        reports.add(p);
      }

      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    };
    PreferredTrainer.Result straight = trainer.train(data, tmp.resolve("a"), null, null, listener, () -> false);
    assertThat(straight.globalStep()).isEqualTo(20);
    assertThat(straight.skippedSteps()).isZero();
    assertThat(messages).anyMatch(m -> m.contains("in-place distillation on (temperature 1.0): teacher "
        + preferred.get(1).id()));
    assertThat(reports).anyMatch(p -> !p.architecture().equals(preferred.get(1).id())
        && Double.isFinite(p.distillationLoss()));

    AtomicLong steps = new AtomicLong();
    PreferredTrainer.Result half = trainer.train(data, tmp.resolve("b"), null, null, p -> steps.set(p.done()),
        () -> steps.get() >= 13);
    assertThat(half.cancelled()).isTrue();
    Checkpoint saved = Checkpoint.read(half.checkpoint());
    assertThat(saved.state().distillation()).isEqualTo(Distillation.on(1));

    PreferredTrainer offTrainer = new PreferredTrainer(space, preferred, config(Distillation.OFF));
    assertThatThrownBy(() -> offTrainer.train(data, tmp.resolve("c"), null, saved, ProgressListener.NONE,
        () -> false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distillation on (temperature 1.0)").hasMessageContaining("distillation off");
    PreferredTrainer hotter = new PreferredTrainer(space, preferred, config(Distillation.on(2)));
    assertThatThrownBy(() -> hotter.train(data, tmp.resolve("c"), null, saved, ProgressListener.NONE,
        () -> false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature 2.0");

    PreferredTrainer.Result rest = trainer.train(data, tmp.resolve("b"), null, saved, ProgressListener.NONE,
        () -> false);
    assertThat(rest.globalStep()).isEqualTo(20);
    Map<String, Tensor> a = Checkpoint.read(straight.checkpoint()).weights();
    Map<String, Tensor> b = Checkpoint.read(rest.checkpoint()).weights();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String key : a.keySet()) {
      assertThat(b.get(key).toFloats()).as(key).containsExactly(a.get(key).toFloats());
    }
    Map<String, Tensor> ma = Checkpoint.read(straight.checkpoint()).optimizerState();
    Map<String, Tensor> mb = Checkpoint.read(rest.checkpoint()).optimizerState();
    for (String key : ma.keySet()) {
      assertThat(mb.get(key).toFloats()).as(key).containsExactly(ma.get(key).toFloats());
    }
  }

  @Test
  void aVitSpaceDistillsThroughTheSameSeam() throws Exception {
    SearchSpace vit = SpaceLoader.load(Path.of("src/test/resources/spaces/pico.yaml"));
    List<Architecture> archs = List.of(io.prenas.vit.space.VitArchitecture.uniform(48, 1, 1.0, 1),
        io.prenas.vit.space.VitArchitecture.uniform(64, 2, 2.0, 1));
    assertThat(Distillation.teacher(vit, archs)).isSameAs(archs.get(1));
    TrainingConfig d = TrainingConfig.defaults(1, 8, "balanced", 5);
    TrainingConfig off = new TrainingConfig(d.epochs(), d.batchSize(), d.sampler(), d.seed(), 0.2, d.warmupLr(),
        d.minLr(), 0.5, d.weightDecay(), 0.1, MixupCutmix.none(0.1), 0, false, 1000, 2, null);
    List<Double> distillationLosses = new ArrayList<>();
    PreferredTrainer.Result on = new PreferredTrainer(vit, archs, off.withDistillation(Distillation.on(1)))
        .train(data, tmp.resolve("vit-on"), null, null, p -> distillationLosses.add(p.distillationLoss()),
            () -> false);
    PreferredTrainer.Result plain = new PreferredTrainer(vit, archs, off)
        .train(data, tmp.resolve("vit-off"), null, null, ProgressListener.NONE, () -> false);
    assertThat(on.skippedSteps()).isZero();
    assertThat(distillationLosses).anyMatch(Double::isFinite);
    String key = "head.weight";
    assertThat(Checkpoint.read(on.checkpoint()).weights().get(key).toFloats())
        .isNotEqualTo(Checkpoint.read(plain.checkpoint()).weights().get(key).toFloats());
  }
}
