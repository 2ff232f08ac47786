package io.prenas.vit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.onnx.proto.NodeProto;
import io.prenas.onnx.proto.StringStringEntryProto;
import io.prenas.onnx.proto.TensorProto;
import io.prenas.onnx.proto.TensorShapeProto;
import io.prenas.onnx.proto.ValueInfoProto;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.MicroA;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ONNX export run in ONNX Runtime against our own forward pass (the supernet's eval-mode logits of the same
 * architecture): every micro-a subnet on the reference's initial weights and on the boosted weights (biases and
 * LayerNorms away from 0/1, relative-position tables and fc1 scaled up, so a mistake in any of them shows), and a
 * Tiny-size subnet of {@code autoformer-tiny}; batches of several sizes through the one file (dynamic batch axis).
 * Plus the graph contract read back with the generated protobuf classes.
 */
class OnnxExportParityTest {

  static final double TOLERANCE = 1e-5;

  private static VitSupernet plain;
  private static VitSupernet boosted;
  private static final OnnxExport ONNX = new VitOnnxExport();

  @BeforeAll
  static void load() {
    plain = VitSupernet.fromTensors(MicroA.SPACE, MicroA.tensors("init.safetensors"), "cpu");
    boosted = VitSupernet.fromTensors(MicroA.SPACE, SupernetParityTest.boostedWeights(), "cpu");
  }

  @AfterAll
  static void close() {
    plain.close();
    boosted.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void everyMicroASubnetRunsInOnnxRuntimeAsOurForward(int index, @TempDir Path dir) throws Exception {
    VitArchitecture arch = MicroA.subnets().get(index);
    Tensor batch = MicroA.images(); // 8 images
    for (boolean boost : new boolean[] {false, true}) {
      VitSupernet supernet = boost ? boosted : plain;
      Path onnx = export(supernet, arch, dir.resolve((boost ? "boost" : "plain") + index));
      float[] ours = supernet.logits(arch, batch).toFloats();
      String fixture = boost ? "logits_boost.safetensors" : "logits.safetensors";
      float[] reference = MicroA.tensors(fixture).get("logits." + index).toFloats();
      try (OrtRunner ort = new OrtRunner(onnx)) {
        float[] full = ort.logits(batch);
        double d = MicroA.maxAbsDiff(full, ours);
        System.out.printf("micro-a subnet %d (%s): |onnx - forward| = %.3g, |onnx - reference| = %.3g%n", index,
            boost ? "boosted" : "init", d, MicroA.maxAbsDiff(full, reference));
        assertThat(d).isLessThanOrEqualTo(TOLERANCE);
        assertThat(MicroA.maxAbsDiff(full, reference)).isLessThanOrEqualTo(TOLERANCE);
        // Other batch sizes through the same file: 3 and 1 images give the first rows of the full batch's logits.
        for (int n : new int[] {3, 1}) {
          float[] part = ort.logits(firstImages(batch, n));
          assertThat(MicroA.maxAbsDiff(part, Arrays.copyOf(ours, n * 10))).as("batch of %d", n)
              .isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }

  @Test
  void aTinySizeSubnetRunsInOnnxRuntimeAsOurForward(@TempDir Path dir) throws Exception {
    VitSpace tiny = VitSpace.of(SearchSpaces.resolve("autoformer-tiny"));
    // Embed 216 (neither the smallest nor the supernet width), 13 blocks, heads and MLP ratios mixed across blocks.
    List<Double> ratios = new ArrayList<>();
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      ratios.add(i % 2 == 0 ? 3.5 : 4.0);
      heads.add(i % 3 == 0 ? 3 : 4);
    }
    VitArchitecture arch = new VitArchitecture(216, 13, ratios, heads);
    tiny.validate(arch);
    try (VitSupernet seeded = VitSupernet.initialize(tiny, 7, "cpu");
        VitSupernet boostedTiny = VitSupernet.fromTensors(tiny, boost(seeded.weights(), 5), "cpu")) {
      for (VitSupernet supernet : List.of(seeded, boostedTiny)) {
        Path onnx = export(supernet, arch, dir.resolve(supernet == seeded ? "seeded" : "boosted"));
        long safetensorsSize = Files.size(onnx.resolveSibling("subnet.safetensors"));
        System.out.printf("tiny %s: safetensors %d bytes, onnx %d bytes%n", arch.id(), safetensorsSize,
            Files.size(onnx));
        assertThat((double) Math.abs(Files.size(onnx) - safetensorsSize)).isLessThan(0.02 * safetensorsSize);
        try (OrtRunner ort = new OrtRunner(onnx)) {
          for (int n : new int[] {3, 2}) {
            Tensor images = randomImages(n, 224, 11 + n);
            float[] ours = supernet.logits(arch, images).toFloats();
            float[] theirs = ort.logits(images);
            double d = MicroA.maxAbsDiff(theirs, ours);
            double scale = 0;
            for (float v : ours) {
              scale = Math.max(scale, Math.abs(v));
            }
            System.out.printf("tiny %s (%s), batch %d: |onnx - forward| = %.3g (max |logit| %.3g)%n", arch.id(),
                supernet == seeded ? "seeded init" : "boosted", n, d, scale);
            assertThat(theirs).hasSize(n * 1000);
            assertThat(d).isLessThanOrEqualTo(TOLERANCE);
          }
        }
      }
    }
  }

  /**
   * Seeded weights made to expose mistakes, as micro-a's boosted weights do: every 1-D tensor (biases, LayerNorms,
   * the head bias) moved by N(0, 0.3), the relative-position tables scaled by 16.
   */
  private static Map<String, Tensor> boost(Map<String, Tensor> weights, long seed) {
    Random rng = new Random(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    weights.forEach((key, t) -> {
      float[] v = t.toFloats();
      if (t.shape().length == 1) {
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (0.3 * rng.nextGaussian());
        }
      } else if (key.contains("rel_pos_embed_")) {
        for (int i = 0; i < v.length; i++) {
          v[i] *= 16f;
        }
      }
      out.put(key, Tensor.ofFloats(t.shape(), v));
    });
    return out;
  }

  @Test
  void theGraphKeepsTheContractAndHoldsExactlyTheStandaloneTensors(@TempDir Path dir) throws Exception {
    VitArchitecture arch = MicroA.subnets().get(3);
    Path weights = dir.resolve("subnet.safetensors");
    SubnetExporter.export(boosted, arch, weights, dir.resolve("subnet.json"));
    Path onnx = dir.resolve("subnet.onnx");
    OnnxExport.Exported exported = ONNX.write(weights, onnx);

    ModelProto model;
    try (InputStream in = Files.newInputStream(onnx)) {
      model = ModelProto.parseFrom(in);
    }
    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getOpsetImportList()).hasSize(1);
    assertThat(model.getOpsetImport(0).getDomain()).isEmpty();
    assertThat(model.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(17);

    assertThat(model.getGraph().getInputList()).hasSize(1);
    ValueInfoProto input = model.getGraph().getInput(0);
    assertThat(input.getName()).isEqualTo("pixels");
    assertThat(input.getType().getTensorType().getElemType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
    assertThat(dims(input)).containsExactly("N", "3", "64", "64");
    assertThat(model.getGraph().getOutputList()).hasSize(1);
    ValueInfoProto output = model.getGraph().getOutput(0);
    assertThat(output.getName()).isEqualTo("logits");
    assertThat(output.getType().getTensorType().getElemType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
    assertThat(dims(output)).containsExactly("N", "10");

    // Initializers: exactly the standalone file's tensors, names, shapes and bytes; nothing of the supernet.
    Map<String, Tensor> standalone = Safetensors.read(weights).tensors();
    Map<String, TensorProto> initializers = new LinkedHashMap<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    assertThat(initializers.keySet()).containsExactlyElementsOf(standalone.keySet());
    long bytes = 0;
    for (Map.Entry<String, Tensor> e : standalone.entrySet()) {
      TensorProto t = initializers.get(e.getKey());
      assertThat(t.getDataType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
      assertThat(t.getDimsList()).as(e.getKey()).containsExactlyElementsOf(
          Arrays.stream(e.getValue().shape()).boxed().toList());
      assertThat(t.getRawData().asReadOnlyByteBuffer()).as(e.getKey()).isEqualTo(e.getValue().data());
      bytes += t.getRawData().size();
    }
    assertThat(exported.initializers()).isEqualTo(standalone.size());
    long params = MicroA.json("subnets.json").get("subnets").get(3).get("params").asLong();
    assertThat(exported.parameterCount()).isEqualTo(params).isEqualTo(bytes / 4);
    long supernetValues = MicroA.tensors("init.safetensors").values().stream().mapToLong(Tensor::numel).sum();
    assertThat(exported.parameterCount()).isLessThan(supernetValues);

    // Constants are Constant nodes: small (shapes, the grid-line index, scalars), no hidden weights.
    long constantBytes = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Constant"))
        .mapToLong(n -> n.getAttribute(0).getT().getRawData().size()).sum();
    assertThat(constantBytes).isLessThan(1024);
    long safetensorsSize = Files.size(weights);
    long onnxSize = Files.size(onnx);
    System.out.printf("micro-a subnet 3: safetensors %d bytes, onnx %d bytes (%+.2f%%), %d nodes%n",
        safetensorsSize, onnxSize, 100.0 * (onnxSize - safetensorsSize) / safetensorsSize,
        model.getGraph().getNodeCount());
    assertThat(exported.size()).isEqualTo(onnxSize);
    assertThat((double) Math.abs(onnxSize - safetensorsSize)).isLessThan(0.05 * safetensorsSize);

    Set<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(ops).contains("Conv", "LayerNormalization", "Softmax", "Erf", "Gemm", "MatMul", "ReduceMean")
        .doesNotContain("Dropout");
    Map<String, String> metadata = model.getMetadataPropsList().stream()
        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertThat(metadata).containsEntry("format", "prenas-vit-subnet/1").containsEntry("num_params", Long.toString(params))
        .containsEntry("onnx_graph", "prenas-vit-onnx/1").containsKeys("architecture", "model");

    // The runtime sees the same contract: batch axis symbolic (-1, named N).
    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertPixelsToLogits(3, 64, 10);
    }

    // Made once: the same standalone file gives the same bytes.
    Path again = dir.resolve("again.onnx");
    ONNX.write(weights, again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(onnx));
  }

  @Test
  void aFileThatIsNotAStandaloneSubnetIsRefusedByName(@TempDir Path dir) throws Exception {
    Path supernetFile = dir.resolve("supernet.safetensors");
    Safetensors.write(supernetFile, MicroA.tensors("init.safetensors"), Map.of());
    assertThatThrownBy(() -> ONNX.write(supernetFile, dir.resolve("x.onnx")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prenas-vit-subnet/1");

    Path weights = dir.resolve("subnet.safetensors");
    SubnetExporter.export(plain, MicroA.subnets().get(0), weights, dir.resolve("subnet.json"));
    Safetensors.Contents contents = Safetensors.read(weights);
    Map<String, Tensor> missing = new LinkedHashMap<>(contents.tensors());
    missing.remove("blocks.1.fc2.bias");
    Path broken = dir.resolve("broken.safetensors");
    Safetensors.write(broken, missing, contents.metadata());
    assertThatThrownBy(() -> ONNX.write(broken, dir.resolve("y.onnx")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks.1.fc2.bias");
    assertThat(dir.resolve("y.onnx")).doesNotExist();
  }

  private static Path export(VitSupernet supernet, VitArchitecture arch, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path weights = dir.resolve("subnet.safetensors");
    SubnetExporter.export(supernet, arch, weights, dir.resolve("subnet.json"));
    Path onnx = dir.resolve("subnet.onnx");
    ONNX.write(weights, onnx);
    return onnx;
  }

  private static List<String> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM ? d.getDimParam()
            : Long.toString(d.getDimValue()))
        .toList();
  }

  static Tensor firstImages(Tensor batch, int n) {
    long[] shape = batch.shape();
    long per = shape[1] * shape[2] * shape[3];
    float[] all = batch.toFloats();
    shape[0] = n;
    return Tensor.ofFloats(shape, Arrays.copyOf(all, (int) (n * per)));
  }

  static Tensor randomImages(int n, int size, long seed) {
    Random rng = new Random(seed);
    float[] x = new float[n * 3 * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {n, 3, size, size}, x);
  }
}
