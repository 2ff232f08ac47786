package io.prenas.cnn.engine;

import static io.prenas.onnx.OnnxGraph.floatAttr;
import static io.prenas.onnx.OnnxGraph.intAttr;
import static io.prenas.onnx.OnnxGraph.intsAttr;

import io.prenas.cnn.space.Activation;
import io.prenas.cnn.space.CnnModelSettings;
import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.OnnxGraph;
import io.prenas.onnx.OnnxGraph.Dim;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.tensorio.Tensor;
import java.util.Map;

/**
 * The ONNX graph of a standalone CNN: the same function as {@link CnnForward} in evaluation mode (spec §5), node for
 * node, on the standalone tensors ({@link CnnLayout#shapes(CnnPlan)}: slots j &lt; depth, every tensor already cut
 * to its slice, so each is used whole) as initializers.
 *
 * <p>Stem {@code act(BN(conv))}; per MBConv layer the 1x1 expand with BN and act when t != 1, the depthwise k x k
 * ({@code group} = hidden width, stride on layer 0 of a stage, symmetric zero padding k/2), SE on the depthwise
 * output ({@code GlobalAveragePool}, the reduce conv with its bias and act, the expand conv with its bias, a plain
 * {@code Sigmoid} gate multiplied in), the 1x1 projection with BN and no act, and the input added where the plan
 * says so (stride 1 and c_in = c_out); the head's 1x1 conv with BN and act, the spatial mean and the classifier as
 * one {@code Gemm} on the PyTorch-layout weight. Dropout is the identity in evaluation mode and has no node. swish is
 * {@code x * Sigmoid(x)} (not {@code HardSwish}); relu6 is {@code Clip(x, 0, 6)}.
 *
 * <p>BatchNorm is the {@code BatchNormalization} operator in inference mode on the file's own running statistics,
 * with epsilon {@code MODEL.BN_EPS} of the file's network: the value {@link CnnForward} adds to the variance (both
 * float32). It is not folded into the convolutions. The graph contract asks for the standalone tensors as they are,
 * so a client reads the (recalibrated) statistics back by name and can recalibrate again; folded weights would be
 * new tensors. And folding buys no parity: ONNX Runtime fuses Conv and BatchNormalization at load by default, and
 * on a 25-layer bignas-mbv2 architecture the fused and the unfused runs are each as close to our forward as they are
 * to each other (a few 1e-6 on O(1) logits, {@code CnnOnnxExportParityTest}), i.e. float32 rounding either way.
 */
final class CnnOnnxGraph {

  private final OnnxGraph g;
  private final CnnPlan plan;
  private final CnnModelSettings model;

  private CnnOnnxGraph(CnnPlan plan, String id) {
    this.g = new OnnxGraph("prenas-cnn-" + id);
    this.plan = plan;
    this.model = plan.model();
  }

  /**
   * The model of one architecture's plan from its standalone tensors (already checked against
   * {@link CnnLayout#shapes(CnnPlan)}), with {@code metadata} as its {@code metadata_props}.
   */
  static ModelProto build(CnnPlan plan, String id, Map<String, Tensor> tensors, Map<String, String> metadata) {
    CnnOnnxGraph b = new CnnOnnxGraph(plan, id);
    tensors.forEach(b.g::initializer);
    String logits = b.logits();
    b.g.floatOutput(logits, Dim.symbolic(OnnxExport.BATCH), Dim.of(b.model.numClasses()));
    int r = plan.resolution();
    return b.g.model("prenas-server", "PreNAS standalone CNN " + id + ": " + OnnxExport.INPUT + " float32 [N, "
        + b.model.inChans() + ", " + r + ", " + r + "] -> " + OnnxExport.OUTPUT + " float32 [N, "
        + b.model.numClasses() + "] (eval mode, BatchNorm on the stored statistics)", metadata);
  }

  private String logits() {
    int r = plan.resolution();
    String pixels = g.floatInput(OnnxExport.INPUT, Dim.symbolic(OnnxExport.BATCH), Dim.of(model.inChans()),
        Dim.of(r), Dim.of(r));
    String stem = CnnLayout.STEM;
    String x = conv(stem + "/conv", pixels, stem + ".conv.weight", null, plan.stemKernel(), plan.stemStride(), 1);
    x = act(stem + "/act", batchNorm(stem + "/bn", x, stem + ".bn"));
    for (CnnPlan.Layer layer : plan.layers()) {
      x = block(layer, x);
    }
    String head = CnnLayout.HEAD;
    String h = conv(head + "/conv", x, head + ".conv.weight", null, 1, 1, 1);
    h = act(head + "/act", batchNorm(head + "/bn", h, head + ".bn"));
    String pooled = g.node("GlobalAveragePool", "pool/mean", h); // (N, head, 1, 1)
    String features = g.node("Flatten", "pool/flat", pooled, intAttr("axis", 1)); // (N, head)
    String classifier = CnnLayout.CLASSIFIER;
    return g.node("Gemm", OnnxExport.OUTPUT, new String[] {features, classifier + ".weight", classifier + ".bias"},
        intAttr("transB", 1));
  }

  /** One MBConv layer (spec §5): expand, depthwise, SE, projection, residual. */
  private String block(CnnPlan.Layer l, String input) {
    String key = l.prefix();
    String p = key + "/";
    String h = input;
    if (l.hasExpand()) {
      h = conv(p + "expand/conv", h, key + ".expand.conv.weight", null, 1, 1, 1);
      h = act(p + "expand/act", batchNorm(p + "expand/bn", h, key + ".expand.bn"));
    }
    h = conv(p + "depthwise/conv", h, key + ".depthwise.conv.weight", null, l.kernel(), l.stride(), l.hidden());
    h = act(p + "depthwise/act", batchNorm(p + "depthwise/bn", h, key + ".depthwise.bn"));
    if (model.se()) {
      h = squeezeExcite(p + "se/", key + ".se.", h);
    }
    h = conv(p + "project/conv", h, key + ".project.conv.weight", null, 1, 1, 1);
    h = batchNorm(p + "project/bn", h, key + ".project.bn");
    return l.residual() ? g.node("Add", p + "residual", new String[] {h, input}) : h;
  }

  /** SE on the depthwise output: pool, reduce with its bias and act, expand with its bias, sigmoid gate. */
  private String squeezeExcite(String p, String key, String h) {
    String z = g.node("GlobalAveragePool", p + "pool", h); // (N, hid, 1, 1)
    z = act(p + "reduce/act", conv(p + "reduce", z, key + "reduce.weight", key + "reduce.bias", 1, 1, 1));
    z = conv(p + "expand", z, key + "expand.weight", key + "expand.bias", 1, 1, 1);
    String gate = g.node("Sigmoid", p + "gate", z);
    return g.node("Mul", p + "out", new String[] {h, gate});
  }

  /** A square conv with symmetric zero padding k/2 (odd k: output side ceil(in / stride)). */
  private String conv(String name, String x, String weight, String bias, int kernel, int stride, int groups) {
    String[] inputs = bias == null ? new String[] {x, weight} : new String[] {x, weight, bias};
    int pad = kernel / 2;
    return g.node("Conv", name, inputs, intsAttr("kernel_shape", kernel, kernel), intsAttr("strides", stride, stride),
        intsAttr("pads", pad, pad, pad, pad), intAttr("group", groups));
  }

  /** BatchNorm on the stored statistics ({@code prefix} e.g. {@code stem.bn}); see the class comment. */
  private String batchNorm(String name, String x, String prefix) {
    return g.node("BatchNormalization", name, new String[] {x, prefix + ".weight", prefix + ".bias",
        prefix + "." + CnnLayout.RUNNING_MEAN, prefix + "." + CnnLayout.RUNNING_VAR},
        floatAttr("epsilon", (float) model.bnEps()));
  }

  private String act(String name, String x) {
    if (model.activation() == Activation.RELU6) {
      return g.node("Clip", name, new String[] {x, g.floatScalar(0f), g.floatScalar(6f)});
    }
    String sigmoid = g.node("Sigmoid", name + "/sigmoid", x);
    return g.node("Mul", name, new String[] {x, sigmoid});
  }
}
