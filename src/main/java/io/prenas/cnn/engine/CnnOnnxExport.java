package io.prenas.cnn.engine;

import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.OnnxGraph;
import io.prenas.onnx.StandaloneTensors;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CNN family's ONNX port: a standalone subnet file ({@link CnnSubnetFormat}, written by
 * {@link CnnSubnetExporter}, with its own BatchNorm statistics) as an ONNX model ({@link CnnOnnxGraph}). Reads the
 * file with the plain-Java safetensors reader and builds the graph with protobuf only: no tensor engine, so any node
 * (an API node included) can convert.
 */
public final class CnnOnnxExport implements OnnxExport {

  /** This family's graph format, under {@link OnnxExport#KEY_ONNX_GRAPH}. */
  static final String ONNX_GRAPH = "prenas-cnn-onnx/1";

  /**
   * {@inheritDoc}
   *
   * <p>The running statistics are initializers like the weights, but not parameters: {@code parameterCount} is the
   * file's {@code num_params} (spec §7), the values of every other tensor.
   */
  @Override
  public Exported write(Path standalone, Path out) throws IOException {
    Safetensors.Contents contents = Safetensors.read(standalone);
    Map<String, String> meta = contents.metadata();
    CnnSubnetFormat.Described model = CnnSubnetFormat.describe(standalone.getFileName().toString(), meta);
    CnnPlan plan = CnnPlan.of(model.network(), model.arch());
    Map<String, Tensor> tensors = StandaloneTensors.inLayoutOrder(CnnLayout.shapes(plan), contents.tensors());
    Map<String, String> metadata = new LinkedHashMap<>(meta);
    metadata.put(KEY_ONNX_GRAPH, ONNX_GRAPH);
    ModelProto onnx = CnnOnnxGraph.build(plan, model.arch().id(), tensors, metadata);
    long size = OnnxGraph.write(onnx, out);
    long parameters = tensors.entrySet().stream().filter(e -> !CnnLayout.isStatistic(e.getKey()))
        .mapToLong(e -> e.getValue().numel()).sum();
    return new Exported(out, size, tensors.size(), parameters);
  }
}
