package io.prenas.cnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.space.ModelFamilies;
import io.prenas.supernet.SupernetFactory;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone export of a recalibrated architecture carries its own statistics: its logits equal the
 * recalibrated supernet slice (and the fixture's {@code logits_recal}), its parameters are exactly the architecture's
 * count, and it keeps only the slots the architecture runs.
 */
class CnnSubnetExportTest {

  private static final Map<String, Tensor> INIT = CnnMicroA.tensors("init.safetensors");

  @Test
  void aRecalibratedExportComputesTheRecalibratedSlice(@TempDir Path dir) throws Exception {
    Map<String, Tensor> expected = CnnMicroA.tensors("logits_recal.safetensors");
    List<CnnArchitecture> subnets = CnnMicroA.subnets();
    List<JsonNode> fixture = CnnFixtures.microAEntries().subList(40, 46);
    SupernetFactory factory = ModelFamilies.port(CnnMicroA.SPACE, SupernetFactory.class);
    double worst = 0;
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      for (int i = 0; i < subnets.size(); i++) {
        CnnArchitecture arch = subnets.get(i);
        Tensor x = CnnMicroA.batch(arch.resolution());
        net.recalibrate(arch, CnnMicroA.recalibrationBatches(arch.resolution()));
        Tensor slice = net.logits(arch, x);
        SupernetFactory.Exported e = factory.export(net, arch, dir.resolve(i + ".safetensors"),
            dir.resolve(i + ".json"));
        assertThat(e.parameterCount()).isEqualTo(fixture.get(i).get("params").asLong())
            .isEqualTo(CnnMicroA.SPACE.params(arch));
        Safetensors.Contents file = Safetensors.read(e.weights());
        assertThat(file.tensors().keySet()).containsExactlyElementsOf(
            CnnLayout.shapes(CnnPlan.of(CnnMicroA.SPACE, arch)).keySet());
        assertThat(e.tensorCount()).isEqualTo(file.tensors().size());
        assertThat(file.metadata()).containsEntry("arch", CnnArchitectureJson.canonical(arch))
            .containsEntry("bn_statistics", "recalibrated");
        JsonNode config = CnnFixtures.json(e.config());
        assertThat(config.get("id").asText()).isEqualTo(arch.id());
        assertThat(config.get("num_params").asLong()).isEqualTo(e.parameterCount());
        assertThat(config.get("weights").asText()).isEqualTo(i + ".safetensors");
        try (CnnModel model = CnnModel.load(e.weights(), "cpu")) {
          assertThat(model.parameterCount()).isEqualTo(e.parameterCount());
          Tensor standalone = model.logits(x);
          double d = CnnMicroA.maxAbsDiff(standalone, slice);
          assertThat(d).as("export of subnet %d against the slice", i).isLessThanOrEqualTo(1e-6);
          assertThat(CnnMicroA.maxAbsDiff(standalone, expected.get("logits." + i))).as("subnet %d", i)
              .isLessThanOrEqualTo(CnnMicroA.LOGITS_ABS);
          worst = Math.max(worst, d);
        }
      }
      // without a recalibration since the last one, an export says its statistics are the supernet's
      CnnArchitecture first = subnets.get(0);
      factory.export(net, first, dir.resolve("s.safetensors"), dir.resolve("s.json"));
      assertThat(Safetensors.read(dir.resolve("s.safetensors")).metadata()).containsEntry("bn_statistics", "supernet");
    }
    System.out.println("cnn-micro-a export vs recalibrated slice: max |diff| " + worst);
  }

  @Test
  void theExportKeepsOnlyTheSlotsAndSlicesOfItsArchitecture(@TempDir Path dir) throws Exception {
    CnnArchitecture arch = CnnMicroA.subnets().get(4); // r40-s16-16k33-24k53-24k553-h48
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      Map<String, Tensor> t = CnnSubnetExporter.tensors(net, arch);
      assertThat(t).doesNotContainKey("stages.1.layers.2.project.conv.weight");
      assertThat(t.get("stages.2.layers.1.se.reduce.weight").shape()).containsExactly(8, 144, 1, 1);
      assertThat(t.get("stages.2.layers.2.depthwise.conv.weight").shape()).containsExactly(144, 1, 3, 3);
      assertThat(t.get("classifier.bias").shape()).containsExactly(8);
      // the 3x3 kernel is the centre of the stored 5x5 of channel 0
      float[] stored = INIT.get("stages.2.layers.2.depthwise.conv.weight").toFloats();
      float[] centre = t.get("stages.2.layers.2.depthwise.conv.weight").toFloats();
      for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
          assertThat(centre[row * 3 + col]).isEqualTo(stored[(row + 1) * 5 + col + 1]);
        }
      }
      assertThat(t.get("head.bn.running_var").toFloats()).containsExactly(
          java.util.Arrays.copyOf(INIT.get("head.bn.running_var").toFloats(), 48));
    }
  }
}
