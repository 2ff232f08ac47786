package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.prenas.space.Architecture;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supernet weights plus AdamW state, trained one architecture per step (spec 5.2). The entry points take plain
 * arrays and return plain records, so the training loop, checkpoints and jobs never see an engine type.
 *
 * <p>A step whose loss (or gradient norm) is not finite is skipped: no weight or optimiser state changes, and the
 * caller counts it. Each step's arrays live in their own manager and are freed when the step ends.
 */
public final class TrainingSession implements AutoCloseable {

  /** Prefixes of the optimiser tensors in a checkpoint; weights keep their reference names. */
  public static final String FIRST_MOMENT_PREFIX = "adamw.exp_avg.";
  public static final String SECOND_MOMENT_PREFIX = "adamw.exp_avg_sq.";

  /**
   * Hyper-parameters that stay fixed for a session. {@code precision} is that of the forward passes (training and
   * evaluation); weights, gradients and the AdamW state are float32 either way.
   */
  public record Settings(double weightDecay, double dropPathRate, double gradClipNorm, String device,
      Precision precision) {
    public Settings {
      if (weightDecay < 0 || dropPathRate < 0 || dropPathRate >= 1 || gradClipNorm < 0) {
        throw new IllegalArgumentException("invalid training settings: wd " + weightDecay + ", drop-path "
            + dropPathRate + ", clip " + gradClipNorm);
      }
      java.util.Objects.requireNonNull(precision, "precision");
    }

    /** Float32 settings. */
    public Settings(double weightDecay, double dropPathRate, double gradClipNorm, String device) {
      this(weightDecay, dropPathRate, gradClipNorm, device, Precision.FP32);
    }
  }

  /**
   * Outcome of one step. {@code skipReason} is null for a step that updated the weights, else what was not finite:
   * the loss, or the first tensor (reference key order) whose gradient was not, with its norm.
   * {@code distillationLoss} is the student's loss of a distillation step, NaN in a step without one.
   */
  public record StepResult(double loss, double gradNorm, String skipReason, StepTimes times,
      double distillationLoss) {
    public boolean skipped() {
      return skipReason != null;
    }
  }

  /** Wall time of a step's phases in nanoseconds; the update includes clipping (0 for a skipped step). */
  public record StepTimes(long forwardNanos, long backwardNanos, long updateNanos) {}

  /** Sums over one evaluation batch (divide by {@code count} for means). */
  public record EvalResult(double lossSum, long top1, long top5, int count) {}

  private final Supernet supernet;
  private final AdamW optimizer;
  private final Settings settings;

  private TrainingSession(Supernet supernet, AdamW optimizer, Settings settings) {
    this.supernet = supernet;
    this.optimizer = optimizer;
    this.settings = settings;
  }

  /**
   * A session from reference-named weights (null: seeded reference init) and optional optimiser state
   * (tensors named with {@link #FIRST_MOMENT_PREFIX} / {@link #SECOND_MOMENT_PREFIX}, from {@link #optimizerState}).
   *
   * @throws UnsupportedOperationException when the family does not compute in the settings' precision
   */
  public static TrainingSession open(SearchSpace space, Map<String, Tensor> weights, Map<String, Tensor> optimizerState,
      long optimizerSteps, long seed, Settings settings) {
    SupernetFactory family = ModelFamilies.port(space, SupernetFactory.class);
    Supernet net = weights == null
        ? family.initialize(space, seed, settings.device())
        : family.fromTensors(space, weights, settings.device());
    if (!net.supports(settings.precision())) {
      net.close();
      throw new UnsupportedOperationException("the " + space.family() + " supernet of space " + space.name()
          + " computes in fp32 only; precision " + settings.precision().id() + " is for ViT spaces");
    }
    AdamW adamw = new AdamW(net.parameters().manager(), settings.weightDecay(), net.noWeightDecay());
    try {
      if (optimizerState != null && !optimizerState.isEmpty()) {
        adamw.restore(net.parameters().arrays(), optimizerState, optimizerSteps);
      }
    } catch (RuntimeException e) {
      adamw.close();
      net.close();
      throw e;
    }
    return new TrainingSession(net, adamw, settings);
  }

  /**
   * One forward/backward/update of {@code arch} on a batch with soft targets ({@code count x classes}, rows summing
   * to 1: label smoothing and mixing already applied), loss = mean soft-target cross-entropy.
   *
   * @param stepSeed seeds the drop-path draws of this step (so a resumed run draws the same)
   */
  public StepResult step(Architecture arch, float[] images, long[] shape, float[] softTargets, double learningRate,
      long stepSeed) {
    ParameterSet params = supernet.parameters();
    ForwardMode mode = ForwardMode.training(settings.dropPathRate(), stepSeed).withPrecision(settings.precision());
    try (NDManager step = params.manager().newSubManager()) {
      NDArray batch = HostArrays.floats(step, images, new Shape(shape));
      // the loader serves the space's largest input size; an architecture of another size gets its batch resized
      NDArray x = ImageResize.toSide(batch, supernet.space().inputSize(arch));
      NDArray t = targets(step, softTargets, shape);
      Autograd.Pass pass = Autograd.backward(params.arrays().values(),
          () -> Losses.softTargetCrossEntropy(supernet.forward(arch, x, mode), t));
      long u0 = System.nanoTime();
      double loss = pass.loss().getFloat();
      return update(params, step, learningRate, loss, false, Double.NaN, u0, pass.forwardNanos(),
          pass.backwardNanos());
    }
  }

  /**
   * One step of BigNAS in-place distillation ({@code training.Distillation}): {@code teacher} is trained on the
   * soft targets as in {@link #step}, then {@code student} on the teacher's softmax of the same batch
   * ({@link Losses#softLabels}, detached: no gradient reaches the teacher through the target); each runs at its own
   * input size, resized from the same batch as in {@link #step}. The two backward passes accumulate into the same
   * gradients (two recordings one after the other, so one gradient collector at a time), which are clipped and
   * applied in one optimiser update. The step is skipped when either loss or the summed gradient is not finite.
   * When {@code student} is the teacher (same id) this is exactly {@link #step}: one normal step, no second pass.
   *
   * <p>The student draws drop-path and dropout from {@code stepSeed}, as in a step without distillation; the teacher
   * from {@link #teacherSeed}{@code (stepSeed)}, so the two passes do not share draws.
   *
   * @return {@code loss} is the teacher's loss against the targets, {@code distillationLoss} the student's
   */
  public StepResult distillationStep(Architecture teacher, Architecture student, float[] images, long[] shape,
      float[] softTargets, double learningRate, long stepSeed, double temperature) {
    if (teacher.id().equals(student.id())) {
      return step(student, images, shape, softTargets, learningRate, stepSeed);
    }
    ParameterSet params = supernet.parameters();
    ForwardMode teacherMode = ForwardMode.training(settings.dropPathRate(), teacherSeed(stepSeed));
    ForwardMode studentMode = ForwardMode.training(settings.dropPathRate(), stepSeed);
    try (NDManager step = params.manager().newSubManager()) {
      NDArray batch = HostArrays.floats(step, images, new Shape(shape));
      NDArray xTeacher = ImageResize.toSide(batch, supernet.space().inputSize(teacher));
      NDArray xStudent = ImageResize.toSide(batch, supernet.space().inputSize(student));
      NDArray t = targets(step, softTargets, shape);
      NDArray[] teacherLogits = new NDArray[1];
      Autograd.Pass teacherPass = Autograd.backward(params.arrays().values(), () -> {
        teacherLogits[0] = supernet.forward(teacher, xTeacher, teacherMode);
        return Losses.softTargetCrossEntropy(teacherLogits[0], t);
      });
      NDArray soft = Losses.softLabels(teacherLogits[0], temperature);
      Autograd.Pass studentPass = Autograd.backward(params.arrays().values(),
          () -> Losses.distillation(supernet.forward(student, xStudent, studentMode), soft, temperature), false);
      long u0 = System.nanoTime();
      double loss = teacherPass.loss().getFloat();
      double distillationLoss = studentPass.loss().getFloat();
      return update(params, step, learningRate, loss, true, distillationLoss, u0,
          teacherPass.forwardNanos() + studentPass.forwardNanos(),
          teacherPass.backwardNanos() + studentPass.backwardNanos());
    }
  }

  /** The seed of the teacher's drop-path and dropout draws in a distillation step (a mix of the step's seed). */
  public static long teacherSeed(long stepSeed) {
    return stepSeed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
  }

  private static NDArray targets(NDManager step, float[] softTargets, long[] shape) {
    return HostArrays.floats(step, softTargets, new Shape(shape[0], softTargets.length / shape[0]));
  }

  /** Checks the losses and the gradient norm, clips, and updates the weights unless something is not finite. */
  private StepResult update(ParameterSet params, NDManager step, double learningRate, double loss,
      boolean distilled, double distillationLoss, long u0, long forwardNanos, long backwardNanos) {
    GradientNorms norms = GradientNorms.of(params, step);
    double norm = norms.total();
    String skipReason = !Double.isFinite(loss) ? "non-finite loss " + loss
        : distilled && !Double.isFinite(distillationLoss)
            ? "non-finite distillation loss " + distillationLoss
        : !Double.isFinite(norm) ? norms.describeNonFinite() : null;
    if (skipReason == null) {
      if (settings.gradClipNorm() > 0 && norm > settings.gradClipNorm()) {
        scaleGradients(params, step, (float) (settings.gradClipNorm() / (norm + 1e-6)));
      }
      optimizer.step(params.arrays(), learningRate, step);
    }
    StepTimes times = new StepTimes(forwardNanos, backwardNanos, skipReason == null ? System.nanoTime() - u0 : 0);
    return new StepResult(loss, norm, skipReason, times, distillationLoss);
  }

  /** Evaluation-mode loss (plain cross-entropy) and top-1/top-5 hits of {@code arch} on a labelled batch. */
  public EvalResult evaluate(Architecture arch, float[] images, long[] shape, long[] labels) {
    ParameterSet params = supernet.parameters();
    try (GradMode ignored = GradMode.disabled(); NDManager step = params.manager().newSubManager()) {
      // the loader serves the space's largest input size; an architecture of another size gets its batch resized
      NDArray x = ImageResize.toSide(HostArrays.floats(step, images, new Shape(shape)),
          supernet.space().inputSize(arch));
      NDArray logits = supernet.forward(arch, x, ForwardMode.eval().withPrecision(settings.precision()));
      NDArray y = HostArrays.longs(step, labels, new Shape(labels.length));
      NDArray logProbs = logits.logSoftmax(1);
      double lossSum = logProbs.mul(y.oneHot((int) logits.getShape().get(1)).toType(DataType.FLOAT32, false)).sum().neg().getFloat();
      int classes = (int) logits.getShape().get(1);
      float[] scores = logits.toFloatArray();
      long top1 = 0;
      long top5 = 0;
      for (int i = 0; i < labels.length; i++) {
        int rank = rankOf(scores, i * classes, classes, (int) labels[i]);
        top1 += rank == 0 ? 1 : 0;
        top5 += rank < 5 ? 1 : 0;
      }
      return new EvalResult(lossSum, top1, top5, labels.length);
    }
  }

  /** Number of classes scoring strictly higher than the true one (ties favour the true class). */
  private static int rankOf(float[] scores, int offset, int classes, int label) {
    float target = scores[offset + label];
    int rank = 0;
    for (int c = 0; c < classes; c++) {
      if (c != label && scores[offset + c] > target) {
        rank++;
      }
    }
    return rank;
  }

  /** The L2 norm of every parameter's gradient (reference key order) and of all together. */
  private record GradientNorms(Map<String, Double> byTensor, double total) {

    static GradientNorms of(ParameterSet params, NDManager step) {
      List<NDArray> grads = new ArrayList<>();
      params.arrays().values().forEach(p -> grads.add(Autograd.gradient(p, step)));
      float[] each = ForeachNorm.of(grads); // one call for all tensors, not a reduction and a wait per tensor
      Map<String, Double> norms = new LinkedHashMap<>();
      double sumSquares = 0;
      int i = 0;
      for (String key : params.arrays().keySet()) { // the same key order as the gradients
        norms.put(key, (double) each[i]);
        sumSquares += (double) each[i] * each[i];
        i++;
      }
      return new GradientNorms(norms, Math.sqrt(sumSquares));
    }

    /** "non-finite gradient of blocks.2.attn.qkv.weight (norm NaN), 3 of 72 tensors not finite". */
    String describeNonFinite() {
      List<Map.Entry<String, Double>> bad = byTensor.entrySet().stream()
          .filter(e -> !Double.isFinite(e.getValue())).toList();
      if (bad.isEmpty()) { // each tensor finite, their sum of squares overflowed
        return "gradient norm overflows (" + total + ") although every tensor's is finite";
      }
      return "non-finite gradient of " + bad.get(0).getKey() + " (norm " + bad.get(0).getValue() + "), "
          + bad.size() + " of " + byTensor.size() + " tensors not finite";
    }
  }

  /**
   * Waits until the last update's kernels have run (they are asynchronous on a GPU), by reading one weight; for
   * benchmarks that time the update.
   */
  void awaitUpdate() {
    ParameterSet params = supernet.parameters();
    try (NDManager step = params.manager().newSubManager()) {
      NDArray last = null;
      for (NDArray p : params.arrays().values()) {
        last = p;
      }
      ParameterSet.whole(last, step).getFloat(0); // updates run in parameter order: the last one is the latest
    }
  }

  /** The supernet's parameter arrays (tests only). */
  ParameterSet parameters() {
    return supernet.parameters();
  }

  /** Copies of the gradients the last step left on the parameters (reference names; tests compare them). */
  Map<String, Tensor> gradients() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    ParameterSet params = supernet.parameters();
    try (NDManager step = params.manager().newSubManager()) {
      params.arrays().forEach((k, p) -> out.put(k, NdConvert.toTensor(Autograd.gradient(p, step))));
    }
    return out;
  }

  private static void scaleGradients(ParameterSet params, NDManager step, float factor) {
    try (GradMode ignored = GradMode.disabled()) {
      for (NDArray p : params.arrays().values()) {
        Scalars.muli(Autograd.gradient(p, step), factor);
      }
    }
  }

  /** The supernet this session trains (evaluation and recalibration run on it). */
  public Supernet supernet() {
    return supernet;
  }

  /** Number of trainable scalars of the supernet. */
  public long parameterCount() {
    return supernet.parameters().arrays().values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** Copies of the supernet weights (reference names and order). */
  public Map<String, Tensor> weights() {
    return supernet.weights();
  }

  /** Copies of the AdamW moments, named with the moment prefixes. */
  public Map<String, Tensor> optimizerState() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    optimizer.firstMoments().forEach((k, v) -> out.put(FIRST_MOMENT_PREFIX + k, NdConvert.toTensor(v)));
    optimizer.secondMoments().forEach((k, v) -> out.put(SECOND_MOMENT_PREFIX + k, NdConvert.toTensor(v)));
    return out;
  }

  /** Updates made so far (AdamW's bias-correction step count). */
  public long optimizerSteps() {
    return optimizer.stepCount();
  }

  /** Sets the engine's intra-op compute threads for the whole process (call before the first session). */
  public static void setComputeThreads(int threads) {
    EngineThreads.set(threads);
  }

  public SearchSpace space() {
    return supernet.space();
  }

  @Override
  public void close() {
    optimizer.close();
    supernet.close();
  }
}
