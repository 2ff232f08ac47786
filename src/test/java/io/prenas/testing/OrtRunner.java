package io.prenas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.prenas.tensorio.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** An exported ONNX file in ONNX Runtime (CPU, default optimisations: what a client gets). */
public final class OrtRunner implements AutoCloseable {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private final OrtSession session;

  public OrtRunner(Path onnx) throws OrtException {
    this.session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions());
  }

  public OrtRunner(byte[] onnx) throws OrtException {
    this.session = ENV.createSession(onnx, new OrtSession.SessionOptions());
  }

  /** Runs one batch of images ({@code (B, C, H, W)} float32) through input {@code pixels}; logits row-major. */
  public float[] logits(Tensor images) throws OrtException {
    return output(images, "logits");
  }

  /** Runs one batch of images through input {@code pixels}; the named float32 output, row-major. */
  public float[] output(Tensor images, String name) throws OrtException {
    try (OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(images.toFloats()), images.shape());
        OrtSession.Result result = session.run(Map.of("pixels", in))) {
      OnnxTensor out = (OnnxTensor) result.get(name).orElseThrow();
      FloatBuffer values = out.getFloatBuffer();
      float[] logits = new float[values.remaining()];
      values.get(logits);
      return logits;
    }
  }

  public Map<String, NodeInfo> inputs() throws OrtException {
    return session.getInputInfo();
  }

  public Map<String, NodeInfo> outputs() throws OrtException {
    return session.getOutputInfo();
  }

  /**
   * Runs one batch through the graph and checks its logits against {@code expected}: as many, and each within
   * {@code tolerance}.
   */
  public void assertLogitsWithin(Tensor images, float[] expected, float tolerance) throws OrtException {
    float[] logits = logits(images);
    assertThat(logits).hasSameSizeAs(expected);
    for (int i = 0; i < logits.length; i++) {
      assertThat(Math.abs(logits[i] - expected[i])).as("logit %d", i).isLessThanOrEqualTo(tolerance);
    }
  }

  /**
   * Checks the graph contract of {@code OnnxExport} as the runtime sees it: one input {@code pixels} of shape
   * {@code [N, channels, side, side]} with the batch axis symbolic (-1, named N), one output {@code logits} of shape
   * {@code [N, classes]}.
   */
  public void assertPixelsToLogits(long channels, long side, long classes) throws OrtException {
    TensorInfo in = tensor(inputs().get("pixels"));
    assertThat(in.getShape()).containsExactly(-1, channels, side, side);
    assertThat(in.getDimensionNames()[0]).isEqualTo("N");
    assertThat(tensor(outputs().get("logits")).getShape()).containsExactly(-1, classes);
    assertThat(inputs()).hasSize(1);
    assertThat(outputs()).hasSize(1);
  }

  /** The tensor info of an input or output. */
  public static TensorInfo tensor(NodeInfo node) {
    return (TensorInfo) node.getInfo();
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
