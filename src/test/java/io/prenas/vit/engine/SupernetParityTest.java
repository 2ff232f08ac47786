package io.prenas.vit.engine;

import io.prenas.supernet.MicroA;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.Losses;
import io.prenas.supernet.NdConvert;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitArchitecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bit-level parity with the reference on the micro-a fixtures (tolerances from the fixture README). */
class SupernetParityTest {

  private static VitSupernet supernet;

  @BeforeAll
  static void loadReferenceInit() {
    supernet = VitSupernet.fromTensors(MicroA.SPACE, MicroA.tensors("init.safetensors"), "cpu");
  }

  @AfterAll
  static void close() {
    supernet.close();
  }

  @Test
  void layoutHasTheReferenceKeysShapesAndOrder() {
    Map<String, Tensor> init = MicroA.tensors("init.safetensors");
    Map<String, long[]> layout = SupernetLayout.shapes(MicroA.SPACE);
    assertThat(layout.keySet()).containsExactlyElementsOf(init.keySet());
    layout.forEach((k, shape) -> assertThat(init.get(k).shape()).as(k).containsExactly(shape));
    assertThat(SupernetLayout.totalParameters(MicroA.SPACE))
        .isEqualTo(MicroA.json("space.json").get("supernet_total_params").asLong());
  }

  @Test
  void logitsOfAllSixSubnetsMatchTheReference() {
    assertLogits(supernet, MicroA.tensors("logits.safetensors"), "plain");
  }

  @Test
  void boostedLogitsMatchTheReference() {
    try (VitSupernet boosted = VitSupernet.fromTensors(MicroA.SPACE, boostedWeights(), "cpu")) {
      assertLogits(boosted, MicroA.tensors("logits_boost.safetensors"), "boosted");
    }
  }

  @Test
  void savedWeightsReloadIdentically(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("w.safetensors");
    supernet.save(file);
    Map<String, Tensor> back = io.prenas.tensorio.Safetensors.read(file).tensors();
    assertThat(back).isEqualTo(MicroA.tensors("init.safetensors"));
  }

  @Test
  void labelSmoothedCrossEntropyMatchesTheReference() {
    JsonNode losses = MicroA.json("loss.json").get("losses");
    List<VitArchitecture> subnets = MicroA.subnets();
    for (String index : List.of("0", "5")) {
      VitArchitecture arch = subnets.get(Integer.parseInt(index));
      try (GradMode ignored = GradMode.disabled();
          NDManager step = supernet.parameters().manager().newSubManager()) {
        NDArray logits = supernet.forward(arch, NdConvert.toNd(step, MicroA.images()), ForwardMode.eval());
        NDArray labels = NdConvert.labelsToNd(step, MicroA.labels());
        double smoothed = Losses.crossEntropy(logits, labels, 0.1).getFloat();
        double plain = Losses.crossEntropy(logits, labels, 0).getFloat();
        JsonNode expected = losses.get(index);
        System.out.printf("loss subnet %s: |d| smoothed %.3g, plain %.3g%n", index,
            Math.abs(smoothed - expected.get("loss_label_smoothing_0.1").asDouble()),
            Math.abs(plain - expected.get("loss_plain_cross_entropy").asDouble()));
        assertThat(smoothed).isCloseTo(expected.get("loss_label_smoothing_0.1").asDouble(),
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat(plain).isCloseTo(expected.get("loss_plain_cross_entropy").asDouble(),
            org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void gradientPassMatchesTheReferenceGradients() throws Exception {
    GradientPass.Result result = GradientPass.of(MicroA.SPACE)
        .initialWeights(MicroA.tensors("init.safetensors"))
        .batch(MicroA.images(), null)
        .dropPathRate(0)
        .device("cpu")
        .run();
    Map<String, Tensor> expected = MicroA.tensors("grads.safetensors");
    assertThat(result.gradients().keySet()).containsExactlyElementsOf(expected.keySet());
    double worst = 0;
    String worstKey = null;
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      float[] want = e.getValue().toFloats();
      Tensor got = result.gradients().get(e.getKey());
      assertThat(got.shape()).as(e.getKey()).containsExactly(e.getValue().shape());
      double relative = MicroA.maxAbsDiff(got.toFloats(), want) / MicroA.maxAbs(want);
      assertThat(relative).as(e.getKey()).isLessThanOrEqualTo(1e-5);
      if (relative > worst) {
        worst = relative;
        worstKey = e.getKey();
      }
    }
    System.out.printf("gradients: worst max|d|/max|g| = %.3g (%s); loss %.6f; %s%n", worst, worstKey,
        result.loss(), result.timing());
    assertThat(result.weights()).isEqualTo(MicroA.tensors("init.safetensors"));
  }

  private static void assertLogits(VitSupernet net, Map<String, Tensor> expected, String what) {
    List<VitArchitecture> subnets = MicroA.subnets();
    double worst = 0;
    for (int i = 0; i < subnets.size(); i++) {
      Tensor logits = net.logits(subnets.get(i), MicroA.images());
      Tensor want = expected.get("logits." + i);
      assertThat(logits.shape()).containsExactly(want.shape());
      double d = MicroA.maxAbsDiff(logits.toFloats(), want.toFloats());
      assertThat(d).as(what + " logits." + i + " (" + subnets.get(i) + ")").isLessThanOrEqualTo(5e-6);
      worst = Math.max(worst, d);
    }
    System.out.printf("%s logits: max |d| over 6 subnets = %.3g%n", what, worst);
  }

  /** The fixture's boosted weights: 1-D tensors replaced, rel-pos tables x64, fc1 weights x4 (all exact). */
  static Map<String, Tensor> boostedWeights() {
    Map<String, Tensor> init = MicroA.tensors("init.safetensors");
    Map<String, Tensor> boost = MicroA.tensors("boost_params.safetensors");
    Map<String, Tensor> out = new LinkedHashMap<>();
    init.forEach((key, t) -> {
      if (t.shape().length == 1) {
        out.put(key, boost.get(key));
      } else if (key.contains("rel_pos_embed_")) {
        out.put(key, scaled(t, 64f));
      } else if (key.endsWith(".fc1.weight")) {
        out.put(key, scaled(t, 4f));
      } else {
        out.put(key, t);
      }
    });
    return out;
  }

  private static Tensor scaled(Tensor t, float factor) {
    float[] v = t.toFloats();
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return Tensor.ofFloats(t.shape(), v);
  }
}
