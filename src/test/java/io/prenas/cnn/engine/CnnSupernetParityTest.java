package io.prenas.cnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.supernet.Autograd;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.Losses;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.Scalars;
import io.prenas.tensorio.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CNN supernet against cnn-micro-a (fixture README, tolerances of spec §9): eval logits with the stored
 * statistics, BatchNorm recalibration and the logits after it, and the summed-CE gradients of the max subnet in
 * training mode at both resolutions.
 */
class CnnSupernetParityTest {

  private static final Map<String, Tensor> INIT = CnnMicroA.tensors("init.safetensors");

  @Test
  void layoutIsTheFixturesStateDict() {
    Map<String, long[]> layout = CnnLayout.shapes(CnnMicroA.SPACE);
    assertThat(layout.keySet()).containsExactlyElementsOf(INIT.keySet());
    layout.forEach((k, shape) -> assertThat(INIT.get(k).shape()).as(k).containsExactly(shape));
    assertThat(CnnLayout.parameters(layout)).hasSize(93);
    assertThat(CnnLayout.count(CnnLayout.parameters(layout))).isEqualTo(134_976L);
    assertThat(CnnLayout.count(layout)).isEqualTo(139_456L);
    assertThat(CnnLayout.parameters(layout).keySet())
        .containsExactlyElementsOf(CnnMicroA.tensors("grads.safetensors").keySet());
  }

  @Test
  void evalLogitsWithTheStoredStatisticsMatch() {
    Map<String, Tensor> expected = CnnMicroA.tensors("logits.safetensors");
    List<CnnArchitecture> subnets = CnnMicroA.subnets();
    double worst = 0;
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      for (int i = 0; i < subnets.size(); i++) {
        CnnArchitecture arch = subnets.get(i);
        Tensor logits = net.logits(arch, CnnMicroA.batch(arch.resolution()));
        double d = CnnMicroA.maxAbsDiff(logits, expected.get("logits." + i));
        assertThat(d).as("subnet %d %s", i, arch.id()).isLessThanOrEqualTo(CnnMicroA.LOGITS_ABS);
        worst = Math.max(worst, d);
      }
      // evaluation never changes the statistics
      assertThat(net.weights()).isEqualTo(INIT);
    }
    System.out.println("cnn-micro-a eval logits: max |diff| " + worst);
  }

  @Test
  void recalibratedStatisticsAndLogitsMatch() {
    Map<String, Tensor> stats = CnnMicroA.tensors("recal.safetensors");
    Map<String, Tensor> expected = CnnMicroA.tensors("logits_recal.safetensors");
    List<CnnArchitecture> subnets = CnnMicroA.subnets();
    double worstStat = 0;
    double worstLogit = 0;
    int compared = 0;
    for (int i = 0; i < subnets.size(); i++) {
      CnnArchitecture arch = subnets.get(i);
      try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
        net.recalibrate(arch, CnnMicroA.recalibrationBatches(arch.resolution()));
        Map<String, Tensor> after = net.weights();
        for (CnnPlan.BatchNormSite bn : CnnPlan.of(CnnMicroA.SPACE, arch).batchNorms()) {
          for (String stat : List.of(CnnLayout.RUNNING_MEAN, CnnLayout.RUNNING_VAR)) {
            String key = bn.prefix() + "." + stat;
            float[] want = stats.get(i + "." + key).toFloats();
            float[] got = after.get(key).toFloats();
            float[] before = INIT.get(key).toFloats();
            assertThat(want).as(key).hasSize(bn.width());
            for (int c = 0; c < got.length; c++) {
              if (c < bn.width()) {
                double rel = Math.abs(got[c] - want[c]) / Math.max(1, Math.abs(want[c]));
                assertThat(rel).as("subnet %d %s[%d]", i, key, c).isLessThanOrEqualTo(CnnMicroA.STATS_REL);
                worstStat = Math.max(worstStat, rel);
              } else {
                assertThat(got[c]).as("untouched %s[%d]", key, c).isEqualTo(before[c]);
              }
            }
            compared++;
          }
        }
        // nothing but the used slices changed: every parameter and every statistic of an unused BN is as loaded
        long usedStatistics = CnnPlan.of(CnnMicroA.SPACE, arch).batchNorms().size() * 2L;
        long changed = after.keySet().stream().filter(k -> !after.get(k).equals(INIT.get(k))).count();
        assertThat(changed).isLessThanOrEqualTo(usedStatistics);
        after.forEach((k, v) -> {
          if (!CnnLayout.isStatistic(k)) {
            assertThat(v).as(k).isEqualTo(INIT.get(k));
          }
        });
        Tensor logits = net.logits(arch, CnnMicroA.batch(arch.resolution()));
        double d = CnnMicroA.maxAbsDiff(logits, expected.get("logits." + i));
        assertThat(d).as("recalibrated subnet %d", i).isLessThanOrEqualTo(CnnMicroA.LOGITS_ABS);
        worstLogit = Math.max(worstLogit, d);
        assertThat(net.isRecalibratedFor(arch)).isTrue();
      }
    }
    assertThat(compared).isEqualTo(stats.size());
    System.out.println("cnn-micro-a recalibration: stats max rel " + worstStat + ", logits max |diff| " + worstLogit);
  }

  @Test
  void recalibratingSeveralArchitecturesInTurnGivesEachItsOwn() {
    Map<String, Tensor> expected = CnnMicroA.tensors("logits_recal.safetensors");
    List<CnnArchitecture> subnets = CnnMicroA.subnets();
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      for (int i : new int[] {5, 0, 3, 1, 4, 2}) {
        CnnArchitecture arch = subnets.get(i);
        net.recalibrate(arch, CnnMicroA.recalibrationBatches(arch.resolution()));
        assertThat(CnnMicroA.maxAbsDiff(net.logits(arch, CnnMicroA.batch(arch.resolution())),
            expected.get("logits." + i))).as("subnet %d", i).isLessThanOrEqualTo(CnnMicroA.LOGITS_ABS);
      }
    }
  }

  @Test
  void gradientsOfTheMaxSubnetMatchAtBothResolutions() {
    assertGradients(40, "grads.safetensors");
    assertGradients(32, "grads32.safetensors");
  }

  private static void assertGradients(int resolution, String file) {
    Map<String, Tensor> expected = CnnMicroA.tensors(file);
    CnnArchitecture max = CnnMicroA.SPACE.maxArchitecture();
    CnnArchitecture arch = new CnnArchitecture(resolution, max.stem(), max.stages(), max.head());
    double all = expected.values().stream().mapToDouble(CnnMicroA::maxAbs).max().orElseThrow();
    double worstRatio = 0;
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu");
        NDManager step = net.parameters().manager().newSubManager()) {
      NDArray x = NdConvert.toNd(step, CnnMicroA.batch(resolution));
      NDArray y = NdConvert.labelsToNd(step, CnnMicroA.labels(resolution));
      ForwardMode mode = ForwardMode.training(0, 0).withoutDropout();
      Autograd.backward(net.parameters().arrays().values(),
          () -> Scalars.mul(Losses.crossEntropy(net.forward(arch, x, mode), y, 0), x.getShape().get(0)));
      for (Map.Entry<String, NDArray> p : net.parameters().arrays().entrySet()) {
        Tensor got = NdConvert.toTensor(Autograd.gradient(p.getValue(), step));
        Tensor want = expected.get(p.getKey());
        double d = CnnMicroA.maxAbsDiff(got, want);
        double bound = 1e-5 * CnnMicroA.maxAbs(want) + 1e-7 * all;
        assertThat(d).as("r%d gradient of %s", resolution, p.getKey()).isLessThanOrEqualTo(bound);
        worstRatio = Math.max(worstRatio, d / bound);
      }
    }
    System.out.println("cnn-micro-a gradients r=" + resolution + ": max |diff| / tolerance " + worstRatio);
  }
}
