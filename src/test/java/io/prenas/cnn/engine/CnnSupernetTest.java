package io.prenas.cnn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SpaceException;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.SupernetFactory;
import io.prenas.supernet.TrainingSession;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNN supernet behind the generic ports: its seeded init, the layout check, BatchNorm statistics as buffers
 * (saved with the weights, moved by training passes with PyTorch's momentum rule, absent from the parameters and the
 * gradients), and the generic training session and gradient pass running on it.
 */
class CnnSupernetTest {

  private static final Map<String, Tensor> INIT = CnnMicroA.tensors("init.safetensors");
  private static final SupernetFactory FACTORY = ModelFamilies.port(CnnMicroA.SPACE, SupernetFactory.class);

  @Test
  void theSeededInitHasTheLayoutAndIsReproducible() {
    try (CnnSupernet a = CnnSupernet.initialize(CnnMicroA.SPACE, 7, "cpu");
        CnnSupernet b = CnnSupernet.initialize(CnnMicroA.SPACE, 7, "cpu");
        CnnSupernet c = CnnSupernet.initialize(CnnMicroA.SPACE, 8, "cpu")) {
      Map<String, Tensor> w = a.weights();
      assertThat(w.keySet()).containsExactlyElementsOf(INIT.keySet());
      assertThat(w).isEqualTo(b.weights());
      assertThat(w.get("stem.conv.weight")).isNotEqualTo(c.weights().get("stem.conv.weight"));
      assertThat(w.get("stages.2.layers.1.project.bn.weight").toFloats()).containsOnly(1f);
      assertThat(w.get("stages.2.layers.1.project.bn.running_var").toFloats()).containsOnly(1f);
      assertThat(w.get("stages.2.layers.1.project.bn.running_mean").toFloats()).containsOnly(0f);
      assertThat(w.get("stages.2.layers.1.se.reduce.bias").toFloats()).containsOnly(0f);
      // Kaiming normal, fan_out: the expand conv of stages.2 slot 1 is (288, 48, 1, 1), std sqrt(2/288)
      float[] expand = w.get("stages.2.layers.1.expand.conv.weight").toFloats();
      double sumSquares = 0;
      for (float v : expand) {
        sumSquares += v * v;
      }
      assertThat(Math.sqrt(sumSquares / expand.length)).isCloseTo(Math.sqrt(2.0 / 288), org.assertj.core.data.Offset
          .offset(0.005));
      assertThat(a.parameters().arrays()).hasSize(93);
      assertThat(a.hasBatchStatistics()).isTrue();
      // a seeded network runs and gives finite logits
      Tensor logits = a.logits(CnnMicroA.SPACE.minArchitecture(), CnnMicroA.batch(32));
      assertThat(logits.shape()).containsExactly(4, 8);
      for (float v : logits.toFloats()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  /** bignas-mbv2 (spec §4): 496 tensors, 10,939,800 parameter values; its min and max run at 192. */
  @Test
  void bignasHasTheSpecLayoutAndItsExtremesRun() {
    io.prenas.cnn.space.CnnSpace bignas = io.prenas.cnn.space.CnnFixtures.bignas();
    Map<String, long[]> layout = CnnLayout.shapes(bignas);
    assertThat(layout).hasSize(496);
    assertThat(CnnLayout.count(CnnLayout.parameters(layout))).isEqualTo(10_939_800L);
    assertThat(CnnLayout.count(CnnLayout.statistics(layout))).isEqualTo(82_608L);
    assertThat(layout.get("stages.6.layers.1.se.reduce.weight")).containsExactly(88, 2112, 1, 1);
    assertThat(layout.get("stages.5.layers.0.depthwise.conv.weight")).containsExactly(768, 1, 5, 5);
    try (CnnSupernet net = CnnSupernet.initialize(bignas, 3, "cpu")) {
      CnnArchitecture max = bignas.maxArchitecture();
      CnnArchitecture max192 = new CnnArchitecture(192, max.stem(), max.stages(), max.head());
      java.util.Random random = new java.util.Random(5);
      float[] pixels = new float[3 * 192 * 192];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian();
      }
      Tensor image = Tensor.ofFloats(new long[] {1, 3, 192, 192}, pixels);
      for (CnnArchitecture arch : List.of(bignas.minArchitecture(), max192)) {
        Tensor logits = net.logits(arch, image);
        assertThat(logits.shape()).containsExactly(1, 1000);
        for (float v : logits.toFloats()) {
          assertThat(Float.isFinite(v)).as(arch.id()).isTrue();
        }
      }
    }
  }

  @Test
  void theLayoutCheckNamesTheFirstTensorAtFault() {
    FACTORY.checkLayout(CnnMicroA.SPACE, INIT);
    Map<String, Tensor> missing = new LinkedHashMap<>(INIT);
    missing.remove("stages.1.layers.0.depthwise.bn.running_var");
    assertThatThrownBy(() -> FACTORY.checkLayout(CnnMicroA.SPACE, missing)).isInstanceOf(WeightsException.class)
        .hasMessageContaining("stages.1.layers.0.depthwise.bn.running_var").hasMessageContaining("missing");
    Map<String, Tensor> unknown = new LinkedHashMap<>(INIT);
    unknown.put("stages.0.layers.0.expand.conv.weight", INIT.get("stem.conv.weight"));
    assertThatThrownBy(() -> FACTORY.fromTensors(CnnMicroA.SPACE, unknown, "cpu"))
        .isInstanceOf(WeightsException.class).hasMessageContaining("stages.0.layers.0.expand.conv.weight")
        .hasMessageContaining("unknown key");
    Map<String, Tensor> misshaped = new LinkedHashMap<>(INIT);
    misshaped.put("stages.2.layers.2.depthwise.conv.weight", Tensor.ofFloats(new long[] {288, 1, 3, 3},
        new float[288 * 9]));
    assertThatThrownBy(() -> FACTORY.checkLayout(CnnMicroA.SPACE, misshaped)).isInstanceOf(WeightsException.class)
        .hasMessageContaining("stages.2.layers.2.depthwise.conv.weight").hasMessageContaining("[288, 1, 5, 5]");
    // a PyTorch state_dict's BatchNorm counters are ignored
    Map<String, Tensor> torch = new LinkedHashMap<>(INIT);
    torch.put("stem.bn.num_batches_tracked", Tensor.ofLongs(new long[0], new long[] {3}));
    FACTORY.checkLayout(CnnMicroA.SPACE, torch);
    try (CnnSupernet net = (CnnSupernet) FACTORY.fromTensors(CnnMicroA.SPACE, torch, "cpu")) {
      assertThat(net.weights()).isEqualTo(INIT);
    }
  }

  @Test
  void savedWeightsHoldTheStatisticsAndReloadIdentically(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.safetensors");
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      net.save(file);
    }
    Safetensors.Contents back = Safetensors.read(file);
    assertThat(back.tensors()).isEqualTo(INIT);
    assertThat(back.metadata()).containsEntry("family", "cnn");
  }

  @Test
  void anArchitectureOutsideTheSpaceOrImagesAtAnotherResolutionAreRefused() {
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      CnnArchitecture min = CnnMicroA.SPACE.minArchitecture();
      CnnArchitecture wide = new CnnArchitecture(32, 12, min.stages(), 32);
      assertThatThrownBy(() -> net.logits(wide, CnnMicroA.batch(32))).isInstanceOf(SpaceException.class)
          .hasMessageContaining("stem");
      assertThatThrownBy(() -> net.logits(min, CnnMicroA.batch(40))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[B, 3, 32, 32]");
      assertThatThrownBy(() -> net.recalibrate(min, List.of())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one batch");
      // one 32x32 image leaves a 4x4 head map: enough; the refusal of a too-small batch changes nothing
      Tensor one = Tensor.ofFloats(new long[] {1, 3, 32, 32}, java.util.Arrays.copyOf(
          CnnMicroA.batch(32).toFloats(), 3 * 32 * 32));
      net.recalibrate(min, List.of(one));
      io.prenas.cnn.space.CnnSpace tiny = CnnMicroA.SPACE.withImageSize(8); // head side 1
      try (CnnSupernet small = CnnSupernet.fromTensors(tiny, INIT, "cpu")) {
        CnnArchitecture at8 = new CnnArchitecture(8, min.stem(), min.stages(), min.head());
        Tensor single = Tensor.ofFloats(new long[] {1, 3, 8, 8}, new float[3 * 64]);
        assertThatThrownBy(() -> small.recalibrate(at8, List.of(single)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 0 has 1 image(s) of 1x1");
        assertThat(small.weights()).isEqualTo(INIT);
      }
    }
  }

  /**
   * A training pass normalises with the batch statistics and moves the used running slices as PyTorch does:
   * {@code (1 - m) run + m batch} with the unbiased variance. A recalibration on the one batch gives exactly the
   * batch statistics (f = 1), which is what the update must have blended in; entries past the slices stay.
   */
  @Test
  void aTrainingPassMovesTheUsedRunningSlicesWithTheMomentum() {
    CnnArchitecture arch = CnnMicroA.subnets().get(4); // widths below the maxima: untouched tails show
    Tensor x = CnnMicroA.batch(40);
    double m = CnnMicroA.SPACE.model().bnMomentum();
    Map<String, Tensor> trained;
    Map<String, Tensor> batchStats;
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu");
        GradMode ignored = GradMode.disabled();
        NDManager step = net.parameters().manager().newSubManager()) {
      net.forward(arch, NdConvert.toNd(step, x), ForwardMode.training(0, 1).withoutDropout());
      trained = net.weights();
    }
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      net.recalibrate(arch, List.of(x));
      batchStats = net.weights();
    }
    int checked = 0;
    for (CnnPlan.BatchNormSite bn : CnnPlan.of(CnnMicroA.SPACE, arch).batchNorms()) {
      for (String stat : List.of(CnnLayout.RUNNING_MEAN, CnnLayout.RUNNING_VAR)) {
        String key = bn.prefix() + "." + stat;
        float[] before = INIT.get(key).toFloats();
        float[] after = trained.get(key).toFloats();
        float[] batch = batchStats.get(key).toFloats();
        for (int c = 0; c < after.length; c++) {
          if (c < bn.width()) {
            double want = (1 - m) * before[c] + m * batch[c];
            assertThat((double) after[c]).as("%s[%d]", key, c)
                .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(want))));
          } else {
            assertThat(after[c]).as("%s[%d] past the slice", key, c).isEqualTo(before[c]);
          }
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(2 * CnnPlan.of(CnnMicroA.SPACE, arch).batchNorms().size());
    trained.forEach((k, v) -> {
      if (!CnnLayout.isStatistic(k)) {
        assertThat(v).as(k).isEqualTo(INIT.get(k));
      }
    });
  }

  /** The generic gradient pass on the CNN: parameter keys only, dropout off, mean CE = the fixture's sum / N. */
  @Test
  void theGenericGradientPassRunsOnTheCnn() throws Exception {
    GradientPass.Result r = GradientPass.of(CnnMicroA.SPACE).initialWeights(INIT).device("cpu")
        .batch(CnnMicroA.batch(40), CnnMicroA.labels(40)).objective(GradientPass.Objective.CROSS_ENTROPY, 0).run();
    Map<String, Tensor> expected = CnnMicroA.tensors("grads.safetensors");
    assertThat(r.gradients().keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(r.architecture()).isEqualTo(CnnMicroA.SPACE.maxArchitecture());
    double all = expected.values().stream().mapToDouble(CnnMicroA::maxAbs).max().orElseThrow();
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      float[] want = e.getValue().toFloats();
      float[] got = r.gradients().get(e.getKey()).toFloats();
      double bound = 1e-5 * CnnMicroA.maxAbs(e.getValue()) + 1e-7 * all;
      for (int i = 0; i < want.length; i++) {
        assertThat(Math.abs(4.0 * got[i] - want[i])).as(e.getKey()).isLessThanOrEqualTo(bound);
      }
    }
  }

  /** The generic training session trains the parameters, and its weights (checkpoints) carry the statistics. */
  @Test
  void theGenericTrainingSessionStepsTheCnnAndKeepsItsStatistics() {
    CnnArchitecture arch = CnnMicroA.subnets().get(2);
    Tensor x = CnnMicroA.batch(40);
    long[] labels = CnnMicroA.labels(40).toLongs();
    float[] targets = new float[labels.length * 8];
    for (int i = 0; i < labels.length; i++) {
      targets[i * 8 + (int) labels[i]] = 1f;
    }
    try (TrainingSession session = TrainingSession.open(CnnMicroA.SPACE, INIT, null, 0, 0,
        new TrainingSession.Settings(0.05, 0, 5, "cpu"))) {
      assertThat(session.parameterCount()).isEqualTo(134_976L);
      TrainingSession.StepResult step = session.step(arch, x.toFloats(), x.shape(), targets, 1e-3, 11);
      assertThat(step.skipped()).isFalse();
      Map<String, Tensor> after = session.weights();
      assertThat(after.keySet()).containsExactlyElementsOf(INIT.keySet());
      assertThat(after.get("stem.bn.running_mean")).isNotEqualTo(INIT.get("stem.bn.running_mean"));
      assertThat(after.get("stem.conv.weight")).isNotEqualTo(INIT.get("stem.conv.weight"));
      assertThat(session.optimizerState().keySet()).hasSize(2 * 93)
          .noneMatch(k -> k.endsWith("running_mean") || k.endsWith("running_var"));
      // evaluation reads the stored statistics
      TrainingSession.EvalResult eval = session.evaluate(arch, x.toFloats(), x.shape(), labels);
      assertThat(eval.count()).isEqualTo(4);
      assertThat(Double.isFinite(eval.lossSum())).isTrue();
    }
  }
}
