package io.prenas.onnx;

import com.google.protobuf.ByteString;
import io.prenas.fileio.AtomicFiles;
import io.prenas.onnx.proto.AttributeProto;
import io.prenas.onnx.proto.GraphProto;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.onnx.proto.NodeProto;
import io.prenas.onnx.proto.OperatorSetIdProto;
import io.prenas.onnx.proto.StringStringEntryProto;
import io.prenas.onnx.proto.TensorProto;
import io.prenas.onnx.proto.TensorShapeProto;
import io.prenas.onnx.proto.TypeProto;
import io.prenas.onnx.proto.ValueInfoProto;
import io.prenas.tensorio.DType;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph: initializers from {@link Tensor}s, {@code Constant} nodes, operator nodes with attributes,
 * typed inputs and outputs; then the model ({@link #model}) and its file ({@link #write}). Every value name is
 * checked to be new, so a graph cannot silently read the wrong value; nodes are added in topological order (each
 * node's inputs must already exist), which is the order ONNX requires.
 */
public final class OnnxGraph {

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> values = new HashSet<>();
  /** Constants by content, so that a shape or an index used by every block is one node. */
  private final Map<String, String> constants = new HashMap<>();

  public OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A dimension of an input or output: a fixed size, or a symbolic one ({@code dim_param}). */
  public record Dim(Long size, String symbol) {
    public static Dim of(long size) {
      return new Dim(size, null);
    }

    public static Dim symbolic(String symbol) {
      return new Dim(null, symbol);
    }
  }

  /** Adds a graph input of float32 elements. */
  public String floatInput(String name, Dim... dims) {
    define(name);
    graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
    return name;
  }

  /** Declares an existing value (a node's output) as a graph output of float32 elements. */
  public void floatOutput(String name, Dim... dims) {
    require(name);
    graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
  }

  /** Adds a tensor as an initializer under its own name (float32 values as they are; other floats as float32). */
  public String initializer(String name, Tensor tensor) {
    define(name);
    graph.addInitializer(tensorProto(name, asStored(tensor)));
    return name;
  }

  /** A {@code Constant} node holding a tensor (one node per distinct content). */
  public String constant(String hint, Tensor value) {
    String key = value.dtype() + Arrays.toString(value.shape()) + contentKey(value);
    String existing = constants.get(key);
    if (existing != null) {
      return existing;
    }
    String name = "const/" + hint;
    define(name);
    graph.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
            .setT(tensorProto(null, value))));
    constants.put(key, name);
    return name;
  }

  /** An int64 vector constant, e.g. a shape for {@code Reshape}. */
  public String longs(long... values) {
    return constant("i64" + Arrays.toString(values).replace(" ", ""),
        Tensor.ofLongs(new long[] {values.length}, values));
  }

  /** An int64 scalar constant, e.g. an index for {@code Gather} that drops the axis. */
  public String longScalar(long value) {
    return constant("i64_" + value, Tensor.ofLongs(new long[0], new long[] {value}));
  }

  /** A float32 scalar constant. */
  public String floatScalar(float value) {
    return constant("f32_" + value, Tensor.ofFloats(new long[0], new float[] {value}));
  }

  /**
   * Adds a node with one output, named {@code output} (which must be new), and returns that name.
   *
   * @param inputs value names that already exist in the graph
   */
  public String node(String opType, String output, String[] inputs, AttributeProto... attributes) {
    for (String in : inputs) {
      require(in);
    }
    define(output);
    graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(output).addAllInput(Arrays.asList(inputs))
        .addOutput(output).addAllAttribute(Arrays.asList(attributes)));
    return output;
  }

  /** Shorthand for {@link #node(String, String, String[], AttributeProto...)}. */
  public String node(String opType, String output, String input, AttributeProto... attributes) {
    return node(opType, output, new String[] {input}, attributes);
  }

  public static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  public static AttributeProto floatAttr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
        .build();
  }

  public static AttributeProto intsAttr(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** The model: this graph, the default-domain opset, and string metadata ({@code metadata_props}) in order. */
  public ModelProto model(String producer, String docString, Map<String, String> metadata) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(OnnxExport.IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExport.OPSET))
        .setProducerName(producer)
        .setDocString(docString)
        .setGraph(graph.build());
    metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  /** Writes a model file atomically (fsync before the rename); returns its size in bytes. */
  public static long write(ModelProto model, Path file) throws IOException {
    AtomicFiles.write(file, AtomicFiles.Sync.DURABLE, model::writeTo);
    return Files.size(file);
  }

  /** The ONNX element type of a safetensors dtype. */
  static TensorProto.DataType dataType(DType dtype) {
    return switch (dtype) {
      case F64 -> TensorProto.DataType.DOUBLE;
      case F32 -> TensorProto.DataType.FLOAT;
      case F16 -> TensorProto.DataType.FLOAT16;
      case BF16 -> TensorProto.DataType.BFLOAT16;
      case I64 -> TensorProto.DataType.INT64;
      case I32 -> TensorProto.DataType.INT32;
      case I16 -> TensorProto.DataType.INT16;
      case I8 -> TensorProto.DataType.INT8;
      case U8 -> TensorProto.DataType.UINT8;
      case BOOL -> TensorProto.DataType.BOOL;
    };
  }

  /** Initializers are float32, the graph's compute type; F16, BF16 and F64 weights are widened or narrowed. */
  private static Tensor asStored(Tensor t) {
    return switch (t.dtype()) {
      case F32 -> t;
      case F16, BF16, F64 -> Tensor.ofFloats(t.shape(), t.toFloats());
      default -> throw new IllegalArgumentException("weights must be floating point, got " + t.dtype());
    };
  }

  /**
   * A tensor with raw little-endian data (the layout of both safetensors and ONNX {@code raw_data}, so the bytes are
   * copied as they are).
   */
  private static TensorProto tensorProto(String name, Tensor t) {
    TensorProto.Builder b = TensorProto.newBuilder().setDataType(dataType(t.dtype()).getNumber());
    for (long d : t.shape()) {
      b.addDims(d);
    }
    if (name != null) {
      b.setName(name);
    }
    return b.setRawData(ByteString.copyFrom(t.data().duplicate())).build();
  }

  private static String contentKey(Tensor t) {
    ByteBuffer data = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return Arrays.toString(bytes);
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Dim... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Dim d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d.symbol() != null) {
        dim.setDimParam(d.symbol());
      } else {
        dim.setDimValue(d.size());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  private void define(String name) {
    if (name == null || name.isEmpty() || !values.add(name)) {
      throw new IllegalStateException("value name '" + name + "' is empty or already used in the graph");
    }
  }

  private void require(String name) {
    if (!values.contains(name)) {
      throw new IllegalStateException("value '" + name + "' is used before it is defined");
    }
  }
}
