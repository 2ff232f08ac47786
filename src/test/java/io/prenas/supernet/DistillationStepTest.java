package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BigNAS in-place distillation steps on the cnn-micro-a fixture: the teacher is the max subnet at r = 40, the
 * student the min subnet at r = 32 (its batch is resized from the 40-pixel one, as the data pipeline does). Each
 * expected gradient is computed apart from {@link TrainingSession#distillationStep}: the teacher's label loss in a
 * session of its own, the student's loss in another one against soft labels computed in plain Java from a forward
 * pass run without recording, and the two added here.
 */
class DistillationStepTest {

  private static final CnnSpace SPACE = CnnFixtures.microASpace();
  private static final long SEED = 77;
  private static final double LR = 1e-3;
  private static final TrainingSession.Settings SETTINGS = new TrainingSession.Settings(0.05, 0, 0, "cpu");

  private static Map<String, Tensor> init;
  private static CnnArchitecture teacher;
  private static CnnArchitecture student;
  private static Tensor images;
  private static float[] targets;

  @BeforeAll
  static void load() throws Exception {
    // one engine thread: the comparisons below are of separately run passes
    TrainingSession.setComputeThreads(1);
    init = Safetensors.read(CnnFixtures.microA("init.safetensors")).tensors();
    List<CnnArchitecture> subnets = new ArrayList<>();
    for (JsonNode s : CnnFixtures.json(CnnFixtures.microA("subnets.json")).get("subnets")) {
      subnets.add(CnnArchitectureJson.read(s.get("arch")));
    }
    student = subnets.get(0); // min, r = 32, one layer per stage
    teacher = subnets.get(5); // max, r = 40
    Map<String, Tensor> batch = Safetensors.read(CnnFixtures.microA("batch40.safetensors")).tensors();
    images = batch.get("x");
    long[] labels = batch.get("y").toLongs();
    int classes = SPACE.numClasses();
    targets = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) { // label smoothing 0.1, as the trainer's targets
      for (int c = 0; c < classes; c++) {
        targets[i * classes + c] = (float) ((c == labels[i] ? 0.9 : 0) + 0.1 / classes);
      }
    }
  }

  @AfterAll
  static void restoreThreads() {
    TrainingSession.setComputeThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  private static TrainingSession session() {
    return TrainingSession.open(SPACE, init, null, 0, SEED, SETTINGS);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 2.0})
  void theGradientIsTheTeachersLabelGradientPlusTheStudentsSoftLabelGradient(double temperature) {
    Map<String, Tensor> distilled;
    TrainingSession.StepResult r;
    try (TrainingSession s = session()) {
      r = s.distillationStep(teacher, student, images.toFloats(), images.shape(), targets, LR, SEED, temperature);
      distilled = s.gradients();
    }
    assertThat(r.skipped()).isFalse();

    Map<String, Tensor> teacherPart;
    double teacherLoss;
    try (TrainingSession s = session()) { // the teacher alone: a normal step with the teacher's draws
      teacherLoss = s.step(teacher, images.toFloats(), images.shape(), targets, LR,
          TrainingSession.teacherSeed(SEED)).loss();
      teacherPart = s.gradients();
    }
    StudentPart studentPart = studentGradients(temperature, true);

    assertThat(r.loss()).isCloseTo(teacherLoss, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.distillationLoss()).isCloseTo(studentPart.loss(), org.assertj.core.data.Offset.offset(1e-5));
    assertThat(distilled.keySet()).isEqualTo(teacherPart.keySet());
    for (String key : distilled.keySet()) {
      float[] got = distilled.get(key).toFloats();
      float[] t = teacherPart.get(key).toFloats();
      float[] st = studentPart.gradients().get(key).toFloats();
      double scale = 0;
      for (int i = 0; i < got.length; i++) {
        scale = Math.max(scale, Math.abs(t[i] + st[i]));
      }
      for (int i = 0; i < got.length; i++) {
        assertThat((double) Math.abs(got[i] - (t[i] + st[i]))).as("%s[%d]", key, i)
            .isLessThanOrEqualTo(1e-5 * scale + 1e-9);
      }
    }
    // both terms are really there: the student's gradient is not negligible next to the teacher's
    assertThat(maxAbs(studentPart.gradients().get("classifier.weight"))).isGreaterThan(1e-3);
  }

  @Test
  void theSoftLabelsCarryNoGradientIntoTheTeacher() {
    Map<String, Tensor> distilled;
    try (TrainingSession s = session()) {
      s.distillationStep(teacher, student, images.toFloats(), images.shape(), targets, LR, SEED, 1);
      distilled = s.gradients();
    }
    Map<String, Tensor> teacherPart;
    try (TrainingSession s = session()) {
      s.step(teacher, images.toFloats(), images.shape(), targets, LR, TrainingSession.teacherSeed(SEED));
      teacherPart = s.gradients();
    }
    Map<String, Tensor> detached = studentGradients(1, true).gradients();
    Map<String, Tensor> attached = studentGradients(1, false).gradients();

    // a layer only the teacher has (the student has one layer per stage): the student's term gives it nothing...
    String teacherOnly = "stages.2.layers.2.expand.conv.weight";
    assertThat(maxAbs(detached.get(teacherOnly))).isZero();
    assertThat(maxAbs(teacherPart.get(teacherOnly))).isGreaterThan(0);
    assertThat(maxAbsDiff(distilled.get(teacherOnly), teacherPart.get(teacherOnly)))
        .isLessThanOrEqualTo(1e-6 * maxAbs(teacherPart.get(teacherOnly)));
    // ...whereas a target that kept its graph would send the student's loss back through the teacher's forward pass
    assertThat(maxAbs(attached.get(teacherOnly))).isGreaterThan(1e-3 * maxAbs(teacherPart.get(teacherOnly)));
    double leak = 0;
    for (String key : detached.keySet()) {
      leak = Math.max(leak, maxAbsDiff(attached.get(key), detached.get(key)));
    }
    assertThat(leak).as("the test can tell the two apart").isGreaterThan(1e-4);
  }

  @Test
  void aStepThatSamplesTheTeacherIsOneNormalStep() {
    Map<String, Tensor> viaDistillation;
    TrainingSession.StepResult r;
    try (TrainingSession s = session()) {
      r = s.distillationStep(teacher, teacher, images.toFloats(), images.shape(), targets, LR, SEED, 1);
      viaDistillation = s.weights();
    }
    Map<String, Tensor> plain;
    try (TrainingSession s = session()) {
      s.step(teacher, images.toFloats(), images.shape(), targets, LR, SEED);
      plain = s.weights();
    }
    assertThat(Double.isNaN(r.distillationLoss())).isTrue();
    for (String key : plain.keySet()) {
      assertThat(viaDistillation.get(key).toFloats()).as(key).containsExactly(plain.get(key).toFloats());
    }
  }

  private record StudentPart(Map<String, Tensor> gradients, double loss) {}

  /**
   * The gradient of the student's distillation loss alone, on fresh weights. With {@code detached}, the soft labels
   * are computed in plain Java from teacher logits of a pass that records nothing; otherwise the teacher's forward
   * pass is recorded with the student's and its softmax is the target (what the step must not do).
   */
  private static StudentPart studentGradients(double temperature, boolean detached) {
    try (TrainingSession s = session(); NDManager m = s.parameters().manager().newSubManager()) {
      Supernet net = s.supernet();
      NDArray x40 = NdConvert.toNd(m, images);
      NDArray x32 = ImageResize.toSide(x40, SPACE.inputSize(student));
      ForwardMode teacherMode = ForwardMode.training(0, TrainingSession.teacherSeed(SEED));
      ForwardMode studentMode = ForwardMode.training(0, SEED);
      NDArray soft = null;
      if (detached) {
        float[] logits;
        try (GradMode ignored = GradMode.disabled()) {
          logits = net.forward(teacher, x40, teacherMode).toFloatArray();
        }
        soft = m.create(softmax(logits, SPACE.numClasses(), temperature),
            new ai.djl.ndarray.types.Shape(images.shape()[0], SPACE.numClasses()));
      }
      NDArray fixedSoft = soft;
      Autograd.Pass pass = Autograd.backward(s.parameters().arrays().values(), () -> {
        NDArray target = fixedSoft != null ? fixedSoft
            : Scalars.div(net.forward(teacher, x40, teacherMode), temperature).softmax(1);
        NDArray z = Scalars.div(net.forward(student, x32, studentMode), temperature);
        return Scalars.mul(Losses.softTargetCrossEntropy(z, target), temperature * temperature);
      });
      return new StudentPart(s.gradients(), pass.loss().getFloat());
    }
  }

  private static float[] softmax(float[] logits, int classes, double temperature) {
    float[] out = new float[logits.length];
    for (int row = 0; row < logits.length / classes; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[row * classes + c] / temperature);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[row * classes + c] / temperature - max);
      }
      for (int c = 0; c < classes; c++) {
        out[row * classes + c] = (float) (Math.exp(logits[row * classes + c] / temperature - max) / sum);
      }
    }
    return out;
  }

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (float v : t.toFloats()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static double maxAbsDiff(Tensor a, Tensor b) {
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((double) x[i] - y[i]));
    }
    return m;
  }
}
