package io.prenas.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The ONNX port a model family implements (handed out by {@code ModelFamily.port(OnnxExport.class)}): one of the
 * family's standalone models, as written by its {@code SupernetFactory.export}, as an ONNX file that any ONNX runtime
 * runs without our code.
 *
 * <p>The graph contract, the same for every family: opset {@value #OPSET} of the default domain (IR version
 * {@value #IR_VERSION}); one input {@value #INPUT} (float32 {@code [N, C, H, W]}, {@code N} the symbolic batch size
 * {@value #BATCH}); one output {@value #OUTPUT} (float32 {@code [N, classes]}); evaluation mode (no dropout, no
 * drop-path); the model's own tensors as initializers, under the names and in the shapes of the standalone file, and
 * nothing else (constants the graph needs are {@code Constant} nodes). The standalone file's metadata is copied into
 * the model's {@code metadata_props}.
 */
public interface OnnxExport {

  /** The operator set the graphs are written for (LayerNormalization is opset 17). */
  int OPSET = 17;
  /** The ONNX IR version that goes with {@link #OPSET}. */
  int IR_VERSION = 8;
  /** Name of the graph's input: a batch of images, float32 {@code [N, C, H, W]}. */
  String INPUT = "pixels";
  /** Name of the graph's output: float32 {@code [N, classes]}. */
  String OUTPUT = "logits";
  /** The symbolic batch dimension of input and output. */
  String BATCH = "N";
  /** Metadata key naming the family's graph format, added to the standalone file's metadata in the model. */
  String KEY_ONNX_GRAPH = "onnx_graph";

  /**
   * Writes the standalone model file {@code standalone} as ONNX to {@code out}, atomically. The bytes depend only on
   * the standalone file, so the same file always gives the same ONNX file (and the same content address).
   *
   * @throws IllegalArgumentException when {@code standalone} is not a standalone model of the family (naming what is
   *     wrong: format, a missing, unknown or mis-shaped tensor)
   */
  Exported write(Path standalone, Path out) throws IOException;

  /**
   * What {@link #write} wrote.
   *
   * @param initializers number of initializers (the standalone file's tensors)
   * @param parameterCount the model's parameter count: the values of its initializers, less buffers that are not
   *     parameters (a CNN's BatchNorm running statistics)
   */
  record Exported(Path file, long size, int initializers, long parameterCount) {}
}
