package io.prenas.vit.engine;

import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.OnnxGraph;
import io.prenas.onnx.StandaloneTensors;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ViT family's ONNX port: a standalone subnet file ({@link SubnetFormat}, written by {@link SubnetExporter}) as
 * an ONNX model ({@link VitOnnxGraph}). Reads the file with the plain-Java safetensors reader and builds the graph
 * with protobuf only: no tensor engine, so any node (an API node included) can convert.
 */
public final class VitOnnxExport implements OnnxExport {

  /** This family's graph format, under {@link OnnxExport#KEY_ONNX_GRAPH}. */
  static final String ONNX_GRAPH = "prenas-vit-onnx/1";

  @Override
  public Exported write(Path standalone, Path out) throws IOException {
    Safetensors.Contents contents = Safetensors.read(standalone);
    Map<String, String> meta = contents.metadata();
    if (!SubnetFormat.FORMAT.equals(meta.get(SubnetFormat.KEY_FORMAT))) {
      throw new IllegalArgumentException(standalone.getFileName() + " is not a " + SubnetFormat.FORMAT
          + " file (format: " + meta.get(SubnetFormat.KEY_FORMAT) + ")");
    }
    VitArchitecture arch = SubnetFormat.readArchitecture(meta.get(SubnetFormat.KEY_ARCHITECTURE));
    ModelSettings model = SubnetFormat.readModel(
        SubnetFormat.parse(SubnetFormat.KEY_MODEL, meta.get(SubnetFormat.KEY_MODEL)));
    // in standalone order (SupernetLayout#subnetShapes), each present with its shape
    Map<String, Tensor> tensors = StandaloneTensors.inLayoutOrder(SupernetLayout.subnetShapes(arch, model),
        contents.tensors());
    Map<String, String> metadata = new LinkedHashMap<>(meta);
    metadata.put(KEY_ONNX_GRAPH, ONNX_GRAPH);
    ModelProto onnx = VitOnnxGraph.build(arch, model, tensors, metadata);
    long size = OnnxGraph.write(onnx, out);
    long values = tensors.values().stream().mapToLong(Tensor::numel).sum();
    return new Exported(out, size, tensors.size(), values);
  }
}
