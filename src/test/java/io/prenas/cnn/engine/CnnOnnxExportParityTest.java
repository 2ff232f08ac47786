package io.prenas.cnn.engine;

import static io.prenas.supernet.MicroA.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.catalog.ModelCard;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.proto.AttributeProto;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.onnx.proto.NodeProto;
import io.prenas.onnx.proto.StringStringEntryProto;
import io.prenas.onnx.proto.TensorProto;
import io.prenas.onnx.proto.TensorShapeProto;
import io.prenas.onnx.proto.ValueInfoProto;
import io.prenas.space.SpaceLoader;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.OrtRunner;
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
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CNN ONNX export run in ONNX Runtime against our own evaluation forward ({@link CnnModel} on the same
 * standalone file, which equals the supernet slice): every cnn-micro-a subnet (min, max and four mixed; kernels 3
 * and 5, residuals on layer 0) exported with its recalibrated statistics and with the supernet's stored ones (each
 * also against the fixture's logits), batches of 1, 2, 4 and 10 images through one file; the micro space switched to
 * relu6 and to no SE; a bignas-mbv2 architecture at 192 px with mixed kernels; the graph contract read back with the
 * generated protobuf classes; the model card carried into the ONNX metadata; refusals naming what is wrong.
 */
class CnnOnnxExportParityTest {

  static final double TOLERANCE = 1e-5;

  private static final OnnxExport ONNX = new CnnOnnxExport();
  private static final Map<String, Tensor> INIT = CnnMicroA.tensors("init.safetensors");

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void everyMicroASubnetRunsInOnnxRuntimeAsOurForward(int index, @TempDir Path dir) throws Exception {
    CnnArchitecture arch = CnnMicroA.subnets().get(index);
    int r = arch.resolution();
    Tensor x = CnnMicroA.batch(r);
    List<Tensor> recal = CnnMicroA.recalibrationBatches(r);
    for (boolean recalibrated : new boolean[] {false, true}) {
      String what = "micro-a subnet " + index + (recalibrated ? " (recalibrated)" : " (stored statistics)");
      Path standalone = dir.resolve((recalibrated ? "recal" : "stored") + ".safetensors");
      Tensor slice;
      try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
        if (recalibrated) {
          net.recalibrate(arch, recal);
        }
        slice = net.logits(arch, x);
        CnnSubnetExporter.export(net, arch, standalone, dir.resolve("subnet.json"));
      }
      assertThat(Safetensors.read(standalone).metadata())
          .containsEntry("bn_statistics", recalibrated ? "recalibrated" : "supernet");
      Path onnx = dir.resolve((recalibrated ? "recal" : "stored") + ".onnx");
      ONNX.write(standalone, onnx);
      Tensor reference = CnnMicroA.tensors(recalibrated ? "logits_recal.safetensors" : "logits.safetensors")
          .get("logits." + index);
      try (CnnModel model = CnnModel.load(standalone, "cpu"); OrtRunner ort = new OrtRunner(onnx)) {
        float[] full = ort.logits(x);
        assertThat(full).hasSize(4 * 8);
        double vsSlice = maxAbsDiff(full, slice.toFloats());
        double vsReference = maxAbsDiff(full, reference.toFloats());
        double worst = 0;
        // batches of 4, 10, 1 and 2 images through the one file (dynamic batch axis)
        for (Tensor batch : List.of(x, concat(recal), firstImages(x, 1), recal.get(2))) {
          float[] theirs = ort.logits(batch);
          float[] ours = model.logits(batch).toFloats();
          assertThat(theirs).hasSize(ours.length);
          double d = maxAbsDiff(theirs, ours);
          assertThat(d).as("%s, batch of %d", what, batch.shape()[0]).isLessThanOrEqualTo(TOLERANCE);
          worst = Math.max(worst, d);
        }
        System.out.printf("%s: |onnx - forward| = %.3g, |onnx - slice| = %.3g, |onnx - fixture| = %.3g%n", what,
            worst, vsSlice, vsReference);
        assertThat(vsSlice).as(what).isLessThanOrEqualTo(TOLERANCE);
        assertThat(vsReference).as(what).isLessThanOrEqualTo(CnnMicroA.LOGITS_ABS);
      }
    }
  }

  /**
   * The micro space with relu6 (images scaled up and the fixture's stored statistics kept, so that the clip at 6
   * bites), and without SE (the SE tensors dropped from the init): the graph follows MODEL.ACTIVATION and MODEL.SE
   * of the file's network.
   */
  @ParameterizedTest
  @ValueSource(strings = {"relu6", "no-se", "relu6-no-se"})
  void theActivationAndSeSwitchesOfTheSpaceAreFollowed(String variant, @TempDir Path dir) throws Exception {
    boolean relu6 = variant.startsWith("relu6");
    boolean se = !variant.endsWith("no-se");
    String yaml = Files.readString(CnnFixtures.microAYaml())
        .replace("ACTIVATION: swish", "ACTIVATION: " + (relu6 ? "relu6" : "swish"))
        .replace("SE: true", "SE: " + se);
    CnnSpace space = CnnSpace.of(SpaceLoader.parse("cnn-micro-a-" + variant, yaml));
    Map<String, Tensor> weights = new LinkedHashMap<>();
    INIT.forEach((k, v) -> {
      if (se || !k.contains(".se.")) {
        weights.put(k, v);
      }
    });
    float scale = relu6 ? 4f : 1f;
    int clipped = 0;
    for (int index : new int[] {0, 2, 5}) {
      CnnArchitecture arch = CnnMicroA.subnets().get(index);
      Tensor x = scaled(CnnMicroA.batch(arch.resolution()), scale);
      Path standalone = dir.resolve(index + ".safetensors");
      try (CnnSupernet net = CnnSupernet.fromTensors(space, weights, "cpu")) {
        if (!relu6) {
          net.recalibrate(arch, CnnMicroA.recalibrationBatches(arch.resolution()));
        }
        CnnSubnetExporter.export(net, arch, standalone, dir.resolve(index + ".json"));
      }
      Path onnx = dir.resolve(index + ".onnx");
      ONNX.write(standalone, onnx);
      ModelProto model = read(onnx);
      Set<String> ops = ops(model);
      assertThat(ops.contains("Clip")).isEqualTo(relu6);
      assertThat(ops.contains("GlobalAveragePool") && count(model, "GlobalAveragePool") > 1).isEqualTo(se);
      try (CnnModel ours = CnnModel.load(standalone, "cpu"); OrtRunner ort = new OrtRunner(onnx)) {
        float[] theirs = ort.logits(x);
        float[] forward = ours.logits(x).toFloats();
        double d = maxAbsDiff(theirs, forward);
        System.out.printf("micro-a %s subnet %d: |onnx - forward| = %.3g (max |logit| %.3g)%n", variant, index, d,
            maxAbs(forward));
        assertThat(d).as("%s subnet %d", variant, index).isLessThanOrEqualTo(TOLERANCE);
        assertThat(maxAbsDiff(ort.logits(firstImages(x, 2)), Arrays.copyOf(forward, 2 * 8)))
            .isLessThanOrEqualTo(TOLERANCE);
      }
      if (relu6) {
        clipped += stemValuesAbove6(standalone, x);
      }
    }
    if (relu6) {
      assertThat(clipped).as("relu6 clips at 6 somewhere (the stem's pre-activations)").isPositive();
    }
  }

  /**
   * A bignas-mbv2 architecture at 192 px, kernels 3 and 5 mixed, 6.76 M parameters, 25 MBConv layers, its
   * BatchNorms and SE biases moved away from the seeded init and recalibrated on noise. Through 25 layers float32
   * rounding grows with the logits (about 5e-6 of max |logit| between any two of our forward, ONNX Runtime with its
   * fusions and ONNX Runtime without them), so the bound is 1e-5 relative to max(1, max |logit|); the logits here
   * are O(1), which makes that the micro tests' 1e-5 within a factor of 1.3.
   */
  @Test
  void aBignasArchitectureRunsInOnnxRuntimeAsOurForward(@TempDir Path dir) throws Exception {
    CnnSpace bignas = CnnFixtures.bignas();
    CnnArchitecture arch = CnnArchitectureJson.read(CnnFixtures.bignasGoldenEntries().stream()
        .filter(e -> e.get("id").asText().equals(
            "r192-s32-24k3-24k33-48k535-80k3553-120k535-208k55335-352k3-h1280"))
        .findFirst().orElseThrow().get("arch"));
    Path standalone = dir.resolve("bignas.safetensors");
    try (CnnSupernet seeded = CnnSupernet.initialize(bignas, 7, "cpu");
        CnnSupernet net = CnnSupernet.fromTensors(bignas, boost(seeded.weights(), 5), "cpu")) {
      net.recalibrate(arch, List.of(randomImages(3, 192, 1), randomImages(2, 192, 2)));
      CnnSubnetExporter.export(net, arch, standalone, dir.resolve("bignas.json"));
    }
    Path onnx = dir.resolve("bignas.onnx");
    OnnxExport.Exported exported = ONNX.write(standalone, onnx);
    assertThat(exported.parameterCount()).isEqualTo(bignas.params(arch)).isEqualTo(6_761_296L);
    System.out.printf("bignas %s: safetensors %d bytes, onnx %d bytes%n", arch.id(), Files.size(standalone),
        Files.size(onnx));
    assertThat((double) Math.abs(Files.size(onnx) - Files.size(standalone))).isLessThan(0.02 * Files.size(standalone));
    try (CnnModel model = CnnModel.load(standalone, "cpu"); OrtRunner ort = new OrtRunner(onnx)) {
      for (int n : new int[] {3, 1}) {
        Tensor images = randomImages(n, 192, 10 + n);
        float[] ours = model.logits(images).toFloats();
        float[] theirs = ort.logits(images);
        assertThat(theirs).hasSize(n * 1000);
        double d = maxAbsDiff(theirs, ours);
        System.out.printf("bignas %s, batch %d: |onnx - forward| = %.3g (max |logit| %.3g)%n", arch.id(), n, d,
            maxAbs(ours));
        assertThat(d).isLessThanOrEqualTo(TOLERANCE * Math.max(1, maxAbs(ours)));
      }
    }
  }

  @Test
  void theGraphKeepsTheContractHoldsExactlyTheStandaloneTensorsAndTheCard(@TempDir Path dir) throws Exception {
    CnnArchitecture arch = CnnMicroA.subnets().get(4); // r40-s16-16k33-24k53-24k553-h48
    Path exported = dir.resolve("subnet.safetensors");
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      net.recalibrate(arch, CnnMicroA.recalibrationBatches(40));
      CnnSubnetExporter.export(net, arch, exported, dir.resolve("subnet.json"));
    }
    // the card as publication adds it to the standalone file's metadata
    ModelCard card = new ModelCard(null, List.of("a", "b", "c", "d", "e", "f", "g", "h"), null, null,
        java.util.UUID.fromString("00000000-0000-0000-0000-000000000042"));
    Safetensors.Contents contents = Safetensors.read(exported);
    Map<String, String> carded = new LinkedHashMap<>(contents.metadata());
    carded.putAll(card.fileMetadata());
    Path weights = dir.resolve("subnet.card.safetensors");
    Safetensors.write(weights, contents.tensors(), carded);
    Path onnx = dir.resolve("subnet.onnx");
    OnnxExport.Exported result = ONNX.write(weights, onnx);

    ModelProto model = read(onnx);
    assertThat(model.getIrVersion()).isEqualTo(OnnxExport.IR_VERSION).isEqualTo(8);
    assertThat(model.getOpsetImportList()).hasSize(1);
    assertThat(model.getOpsetImport(0).getDomain()).isEmpty();
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
    assertThat(model.getGraph().getInputList()).hasSize(1);
    ValueInfoProto input = model.getGraph().getInput(0);
    assertThat(input.getName()).isEqualTo("pixels");
    assertThat(input.getType().getTensorType().getElemType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
    assertThat(dims(input)).containsExactly("N", "3", "40", "40");
    assertThat(model.getGraph().getOutputList()).hasSize(1);
    ValueInfoProto output = model.getGraph().getOutput(0);
    assertThat(output.getName()).isEqualTo("logits");
    assertThat(dims(output)).containsExactly("N", "8");

    // Initializers: exactly the standalone file's tensors (names, order, shapes, bytes), running statistics included.
    Map<String, Tensor> standalone = contents.tensors();
    Map<String, TensorProto> initializers = new LinkedHashMap<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    assertThat(initializers.keySet()).containsExactlyElementsOf(standalone.keySet())
        .contains("stages.2.layers.1.expand.bn.running_var");
    for (Map.Entry<String, Tensor> e : standalone.entrySet()) {
      TensorProto t = initializers.get(e.getKey());
      assertThat(t.getDataType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
      assertThat(t.getDimsList()).as(e.getKey()).containsExactlyElementsOf(
          Arrays.stream(e.getValue().shape()).boxed().toList());
      assertThat(t.getRawData().asReadOnlyByteBuffer()).as(e.getKey()).isEqualTo(e.getValue().data());
    }
    assertThat(result.initializers()).isEqualTo(standalone.size());
    assertThat(result.parameterCount()).isEqualTo(CnnMicroA.SPACE.params(arch)).isEqualTo(61_664L);
    assertThat(result.size()).isEqualTo(Files.size(onnx));
    long constantBytes = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Constant"))
        .mapToLong(n -> n.getAttribute(0).getT().getRawData().size()).sum();
    assertThat(constantBytes).as("no weights hidden in constants").isLessThan(64);
    System.out.printf("micro-a subnet 4: safetensors %d bytes, onnx %d bytes, %d nodes%n", Files.size(weights),
        Files.size(onnx), model.getGraph().getNodeCount());

    // The operators of spec §5, BatchNormalization with the space's epsilon, in inference mode; no Dropout.
    assertThat(ops(model)).containsExactlyInAnyOrder("Conv", "BatchNormalization", "Sigmoid", "Mul",
        "GlobalAveragePool", "Add", "Flatten", "Gemm");
    List<NodeProto> norms = model.getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("BatchNormalization")).toList();
    assertThat(norms).hasSize(CnnPlan.of(CnnMicroA.SPACE, arch).batchNorms().size());
    for (NodeProto bn : norms) {
      assertThat(bn.getAttributeList()).extracting(AttributeProto::getName).containsExactly("epsilon");
      assertThat(bn.getAttribute(0).getF()).isEqualTo(1e-5f);
    }
    // layer 0 of stage 0 adds its input (stem 16 = width 16), as do the stride-1 layers of equal widths
    assertThat(model.getGraph().getNodeList()).extracting(NodeProto::getName).contains(
        "stages.0.layers.0/residual", "stages.0.layers.1/residual", "stages.1.layers.1/residual",
        "stages.2.layers.1/residual", "stages.2.layers.2/residual")
        .doesNotContain("stages.1.layers.0/residual", "stages.2.layers.0/residual");
    NodeProto depthwise = model.getGraph().getNodeList().stream()
        .filter(n -> n.getName().equals("stages.2.layers.0/depthwise/conv")).findFirst().orElseThrow();
    Map<String, List<Long>> attributes = depthwise.getAttributeList().stream()
        .collect(Collectors.toMap(AttributeProto::getName, a -> a.getType() == AttributeProto.AttributeType.INT
            ? List.of(a.getI()) : a.getIntsList()));
    assertThat(attributes).containsEntry("kernel_shape", List.of(5L, 5L)).containsEntry("strides", List.of(2L, 2L))
        .containsEntry("pads", List.of(2L, 2L, 2L, 2L)).containsEntry("group", List.of(144L));

    Map<String, String> metadata = model.getMetadataPropsList().stream()
        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertThat(metadata).containsEntry("format", "prenas-cnn-subnet/1")
        .containsEntry("arch", CnnArchitectureJson.canonical(arch))
        .containsEntry("num_params", "61664").containsEntry("bn_statistics", "recalibrated")
        .containsEntry("onnx_graph", "prenas-cnn-onnx/1").containsKey("network")
        .containsEntry(ModelCard.METADATA_KEY, card.toJson());
    assertThat(ModelCard.fromJson(metadata.get(ModelCard.METADATA_KEY))).isEqualTo(card);

    try (OrtRunner ort = new OrtRunner(onnx)) {
      ort.assertPixelsToLogits(3, 40, 8);
    }

    // The same standalone file always gives the same bytes.
    Path again = dir.resolve("again.onnx");
    ONNX.write(weights, again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(onnx));
  }

  @Test
  void aFileThatIsNotAStandaloneCnnIsRefusedByName(@TempDir Path dir) throws Exception {
    Path supernetFile = dir.resolve("supernet.safetensors");
    Safetensors.write(supernetFile, INIT, Map.of());
    assertThatThrownBy(() -> ONNX.write(supernetFile, dir.resolve("x.onnx")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prenas-cnn-subnet/1");

    Path weights = dir.resolve("subnet.safetensors");
    try (CnnSupernet net = CnnSupernet.fromTensors(CnnMicroA.SPACE, INIT, "cpu")) {
      CnnSubnetExporter.export(net, CnnMicroA.subnets().get(0), weights, dir.resolve("subnet.json"));
    }
    Safetensors.Contents contents = Safetensors.read(weights);
    Map<String, Tensor> missing = new LinkedHashMap<>(contents.tensors());
    missing.remove("stages.1.layers.0.se.expand.bias");
    Path broken = dir.resolve("broken.safetensors");
    Safetensors.write(broken, missing, contents.metadata());
    assertThatThrownBy(() -> ONNX.write(broken, dir.resolve("y.onnx")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stages.1.layers.0.se.expand.bias");
    assertThat(dir.resolve("y.onnx")).doesNotExist();

    Map<String, Tensor> extra = new LinkedHashMap<>(contents.tensors());
    extra.put("stages.0.layers.1.project.bn.running_mean", Tensor.ofFloats(new long[] {8}, new float[8]));
    Path slot = dir.resolve("slot.safetensors");
    Safetensors.write(slot, extra, contents.metadata());
    assertThatThrownBy(() -> ONNX.write(slot, dir.resolve("z.onnx")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected tensor 'stages.0.layers.1.project.bn.running_mean'");
  }

  /**
   * How many of the stem's pre-activations (its BatchNorm's outputs) exceed 6, where relu6 clips: the exported
   * graph cut after {@code stem/bn}, run in ONNX Runtime.
   */
  private static int stemValuesAbove6(Path standalone, Tensor x) throws Exception {
    String onnxName = standalone.getFileName().toString().replace(".safetensors", ".onnx");
    ModelProto full = read(standalone.resolveSibling(onnxName));
    List<NodeProto> upToStemBn = new ArrayList<>();
    for (NodeProto n : full.getGraph().getNodeList()) {
      upToStemBn.add(n);
      if (n.getName().equals("stem/bn")) {
        break;
      }
    }
    ModelProto.Builder cut = full.toBuilder();
    cut.getGraphBuilder().clearNode().addAllNode(upToStemBn).clearOutput().addOutput(ValueInfoProto.newBuilder()
        .setName("stem/bn").setType(io.prenas.onnx.proto.TypeProto.newBuilder().setTensorType(
            io.prenas.onnx.proto.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    int above = 0;
    try (OrtRunner ort = new OrtRunner(cut.build().toByteArray())) {
      for (float v : ort.output(x, "stem/bn")) {
        above += v > 6f ? 1 : 0;
      }
    }
    return above;
  }

  private static Map<String, Tensor> boost(Map<String, Tensor> weights, long seed) {
    Random rng = new Random(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    weights.forEach((key, t) -> {
      float[] v = t.toFloats();
      if (key.endsWith(".bn.weight") || key.endsWith(".bn.bias") || key.endsWith(".se.reduce.bias")
          || key.endsWith(".se.expand.bias") || key.equals("classifier.bias")) {
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (0.3 * rng.nextGaussian());
        }
      }
      out.put(key, Tensor.ofFloats(t.shape(), v));
    });
    return out;
  }

  private static ModelProto read(Path onnx) throws Exception {
    try (InputStream in = Files.newInputStream(onnx)) {
      return ModelProto.parseFrom(in);
    }
  }

  private static Set<String> ops(ModelProto model) {
    return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(op -> !op.equals("Constant"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long count(ModelProto model, String op) {
    return model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
  }

  private static List<String> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM ? d.getDimParam()
            : Long.toString(d.getDimValue()))
        .toList();
  }

  private static Tensor concat(List<Tensor> batches) {
    long[] shape = batches.get(0).shape().clone();
    shape[0] = batches.stream().mapToLong(b -> b.shape()[0]).sum();
    float[] all = new float[(int) Tensor.numel(shape)];
    int at = 0;
    for (Tensor b : batches) {
      float[] v = b.toFloats();
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    return Tensor.ofFloats(shape, all);
  }

  private static Tensor firstImages(Tensor batch, int n) {
    long[] shape = batch.shape().clone();
    long per = shape[1] * shape[2] * shape[3];
    shape[0] = n;
    return Tensor.ofFloats(shape, Arrays.copyOf(batch.toFloats(), (int) (n * per)));
  }

  private static Tensor scaled(Tensor t, float factor) {
    float[] v = t.toFloats();
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return Tensor.ofFloats(t.shape(), v);
  }

  private static Tensor randomImages(int n, int size, long seed) {
    Random rng = new Random(seed);
    float[] x = new float[n * 3 * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return Tensor.ofFloats(new long[] {n, 3, size, size}, x);
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
