package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.space.Architecture;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test for scalar operands freed before backward (DJL's {@code Number} overloads; see {@link Scalars}).
 * As in the reproducer, every trial forces a garbage collection and churns NaN-filled direct buffers between the
 * forward pass and the backward pass, then compares every gradient with the one computed without churn, bit for
 * bit. Drop-path (the {@code 1/keep} scale), attention's {@code 1/sqrt(64)} scale, label smoothing and the
 * micro-batch share are all on the path.
 */
class FreedScalarOperandTest {

  private static final int TRIALS = 200;
  private static final Map<String, Tensor> WEIGHTS = MicroA.tensors("init.safetensors");
  private static final TrainingSession.Settings SETTINGS = new TrainingSession.Settings(0.05, 0.1, 5.0, "cpu");

  @BeforeAll
  static void oneEngineThread() {
    // libtorch's multi-threaded CPU kernels are not bitwise reproducible from run to run; one thread is.
    EngineThreads.set(1);
  }

  @AfterAll
  static void restoreThreads() {
    EngineThreads.set(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void trainingStepGradientsAreExactUnderCollectionsBetweenForwardAndBackward() {
    Map<String, Tensor> expected = trainingStepGradients();
    for (int t = 0; t < TRIALS; t++) {
      Map<String, Tensor> got = Autograd.withHookBetweenForwardAndBackward(FreedScalarOperandTest::churn,
          FreedScalarOperandTest::trainingStepGradients);
      assertBitIdentical(expected, got, "training step, trial " + t);
    }
  }

  @Test
  void gradientPassIsExactUnderCollectionsBetweenForwardAndBackward() {
    Map<String, Tensor> expected = gradientPass();
    for (int t = 0; t < TRIALS; t++) {
      Map<String, Tensor> got = Autograd.withHookBetweenForwardAndBackward(FreedScalarOperandTest::churn,
          FreedScalarOperandTest::gradientPass);
      assertBitIdentical(expected, got, "gradient pass, trial " + t);
    }
  }

  /** One real training step (drop-path 0.1, label-smoothed soft targets) of the max subnet; its gradients. */
  private static Map<String, Tensor> trainingStepGradients() {
    Tensor images = MicroA.images();
    long[] labels = MicroA.labels().toLongs();
    int classes = MicroA.SPACE.model().numClasses();
    float[] targets = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < classes; c++) {
        targets[i * classes + c] = 0.1f / classes + (c == labels[i] ? 0.9f : 0f);
      }
    }
    Architecture arch = MicroA.SPACE.maxArchitecture();
    try (TrainingSession session = TrainingSession.open(MicroA.SPACE, WEIGHTS, null, 0, 7, SETTINGS)) {
      TrainingSession.StepResult r = session.step(arch, images.toFloats(), images.shape(), targets, 1e-3, 11);
      assertThat(r.skipReason()).isNull();
      return session.gradients();
    }
  }

  /** The selector's gradient pass: cross-entropy with label smoothing in two micro-batches (share-weighted). */
  private static Map<String, Tensor> gradientPass() {
    try {
      Tensor images = MicroA.images();
      return GradientPass.of(MicroA.SPACE).initialWeights(WEIGHTS).seed(5).dropPathRate(0.1)
          .batch(images, MicroA.labels()).objective(GradientPass.Objective.CROSS_ENTROPY, 0.1)
          .microBatch((int) Math.max(1, images.shape()[0] / 2)).run().gradients();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A full collection, then direct buffers of NaN bits, so that freed native memory is reused and poisoned. */
  private static void churn() {
    System.gc();
    List<ByteBuffer> junk = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4);
      b.putInt(0, 0xFFFFFFFF);
      junk.add(b);
    }
    assertThat(junk).hasSize(2000);
  }

  private static void assertBitIdentical(Map<String, Tensor> expected, Map<String, Tensor> got, String what) {
    assertThat(got.keySet()).as(what).containsExactlyElementsOf(expected.keySet());
    expected.forEach((key, e) -> {
      float[] a = e.toFloats();
      float[] b = got.get(key).toFloats();
      assertThat(b.length).as(what + ": " + key).isEqualTo(a.length);
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          throw new AssertionError(what + ": gradient of " + key + "[" + i + "] is " + b[i] + ", expected " + a[i]);
        }
      }
    });
  }
}
