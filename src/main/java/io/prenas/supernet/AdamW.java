package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.prenas.tensorio.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-place AdamW with {@code torch.optim.AdamW} semantics (decoupled decay {@code p *= 1 - lr * wd}, bias-corrected
 * moments) and the reference's decay groups (spec 5.2, timm {@code create_optimizer}): no decay for 1-D tensors,
 * {@code *.bias}, {@code pos_embed} and {@code cls_token}; the relative-position tables ARE decayed. The update runs
 * over whole tensors, including the rows outside the sampled slice, as the reference does.
 *
 * <p>Moments live in the optimiser's own manager; an update reaches the parameters and moments through views made in
 * the step manager, so it leaves nothing behind.
 */
final class AdamW implements AutoCloseable {

  private final Set<String> noWeightDecay;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoment = new HashMap<>();
  private final Map<String, NDArray> secondMoment = new HashMap<>();
  private int stepCount;

  AdamW(NDManager parent, double weightDecay, Set<String> noWeightDecay) {
    this(parent, 0.9, 0.999, 1e-8, weightDecay, noWeightDecay);
  }

  AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay, Set<String> noWeightDecay) {
    this.noWeightDecay = Set.copyOf(noWeightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.stateManager = parent.newSubManager();
  }

  /**
   * Whether the reference decays this tensor: matrices and higher, not biases, and not the tensors the family
   * exempts (timm's {@code no_weight_decay()}: a ViT's position embedding and cls token).
   */
  boolean decays(String key, NDArray parameter) {
    return parameter.getShape().dimension() > 1 && !key.endsWith(".bias") && !noWeightDecay.contains(key);
  }

  /**
   * One update of every parameter from its accumulated gradient: one libtorch call for the decayed tensors and one for
   * the others ({@link Kernel}).
   */
  void step(Map<String, NDArray> parameters, double learningRate, NDManager step) {
    stepCount++;
    Group decayed = new Group();
    Group plain = new Group();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String key = e.getKey();
      NDArray parameter = e.getValue();
      Group group = weightDecay != 0 && decays(key, parameter) ? decayed : plain;
      group.add(ParameterSet.whole(parameter, step), Autograd.gradient(parameter, step),
          ParameterSet.whole(moment(firstMoment, key, parameter), step),
          ParameterSet.whole(moment(secondMoment, key, parameter), step));
    }
    // as torch.optim.AdamW computes them, in double: 1 - beta^t, the step size and the second correction's root
    double correction1 = 1 - Math.pow(beta1, stepCount);
    double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, stepCount));
    decayed.update(learningRate, weightDecay, correction1, correction2Sqrt, step);
    plain.update(learningRate, 0, correction1, correction2Sqrt, step);
  }

  /** The tensors of one decay group: the kernel's four list arguments. */
  private final class Group {
    private final List<NDArray> parameters = new ArrayList<>();
    private final List<NDArray> gradients = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();

    void add(NDArray parameter, NDArray gradient, NDArray m, NDArray v) {
      parameters.add(parameter);
      gradients.add(gradient);
      firstMoments.add(m);
      secondMoments.add(v);
    }

    void update(double learningRate, double decay, double correction1, double correction2Sqrt, NDManager step) {
      if (parameters.isEmpty()) {
        return;
      }
      NDList inputs = new NDList();
      TorchScriptModule.addList(inputs, "p", parameters); // views made for this update (step)
      TorchScriptModule.addList(inputs, "g", gradients);
      TorchScriptModule.addList(inputs, "m", firstMoments);
      TorchScriptModule.addList(inputs, "v", secondMoments);
      inputs.add(HostArrays.doubles(step, new double[] {learningRate, beta1, beta2, decay, eps, correction1,
          correction2Sqrt}, new Shape(7)));
      Kernel.run(inputs);
    }
  }

  /**
   * The update of {@code torch.optim.AdamW} as PyTorch runs it for one tensor ({@code _single_tensor_adamw}, also the
   * reference's PyTorch 1.13), op for op, over lists of tensors in one TorchScript call:
   * {@code p *= 1 - lr wd}; {@code m = m b1 + (1 - b1) g}; {@code v = v b2 + (1 - b2) g g};
   * {@code p -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)}. In-place operations with their scalar factors fused
   * ({@code add_} with alpha, {@code addcmul_}, {@code addcdiv_}): eight passes per tensor and one temporary (the
   * denominator), where the same rule as DJL array operations took fourteen passes, four temporaries and one JNI call
   * each (175-260 ms of a Tiny training step against the reference's 94 ms; docs/bench/train-step.md).
   *
   * <p>Freeing those temporaries inside one call changes the allocation pattern: with jemalloc's page decay off and its
   * default {@code lg_extent_max_active_fit} (6) resident memory grew by tens of MiB per step, with 10 (the
   * recommended {@code MALLOC_CONF}, README "jemalloc") it stays flat. libtorch's fused kernel
   * ({@code torch._fused_adamw_}, one pass, no temporary) was faster still, but is not the reference's arithmetic.
   */
  private static final class Kernel {
    private static final PtSymbolBlock MODULE = TorchScriptModule.load("AdamWUpdate", String.join("\n",
        "    p: List[Tensor], g: List[Tensor], m: List[Tensor], v: List[Tensor], hyper: Tensor) -> Tensor:",
        "    h : List[float] = hyper.tolist()",
        "    lr = h[0]",
        "    beta1 = h[1]",
        "    beta2 = h[2]",
        "    decay = h[3]",
        "    eps = h[4]",
        "    stepSize = lr / h[5]",
        "    for i in range(len(p)):",
        "      if decay != 0.:",
        "        p[i].mul_(1. - lr * decay)",
        "      m[i].mul_(beta1).add_(g[i], alpha=1. - beta1)",
        "      v[i].mul_(beta2).addcmul_(g[i], g[i], value=1. - beta2)",
        "      denominator = torch.div(torch.sqrt(v[i]), h[6]).add_(eps)",
        "      p[i].addcdiv_(m[i], denominator, value=-stepSize)",
        // the result keeps the call from being dropped as unused
        "    return p[0]"));

    static void run(NDList inputs) {
      try (GradMode ignored = GradMode.disabled()) {
        IValueUtils.forward(MODULE, inputs, true).close();
      }
    }
  }

  /** Number of updates made (the bias-correction step count). */
  long stepCount() {
    return stepCount;
  }

  /** The first moments made so far, by parameter key (arrays of the optimiser's manager; do not close). */
  Map<String, NDArray> firstMoments() {
    return java.util.Collections.unmodifiableMap(firstMoment);
  }

  /** The second moments made so far, by parameter key. */
  Map<String, NDArray> secondMoments() {
    return java.util.Collections.unmodifiableMap(secondMoment);
  }

  /**
   * Restores moments saved from {@link #firstMoments()}/{@link #secondMoments()} (keys with the session's
   * prefixes) and the step count, so that a resumed run updates exactly as an uninterrupted one.
   */
  void restore(Map<String, NDArray> parameters, Map<String, io.prenas.tensorio.Tensor> state, long steps) {
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      restoreOne(firstMoment, state.get(TrainingSession.FIRST_MOMENT_PREFIX + e.getKey()), e);
      restoreOne(secondMoment, state.get(TrainingSession.SECOND_MOMENT_PREFIX + e.getKey()), e);
    }
    stepCount = Math.toIntExact(steps);
  }

  private void restoreOne(Map<String, NDArray> moments, io.prenas.tensorio.Tensor saved,
      Map.Entry<String, NDArray> parameter) {
    if (saved == null) {
      return; // a parameter never updated has no moment yet
    }
    if (!java.util.Arrays.equals(saved.shape(), parameter.getValue().getShape().getShape())) {
      throw new WeightsException(parameter.getKey(), "optimiser state has shape " + saved.shapeString()
          + ", expected " + parameter.getValue().getShape());
    }
    moments.put(parameter.getKey(), NdConvert.toNd(stateManager, saved));
  }

  private NDArray moment(Map<String, NDArray> moments, String key, NDArray like) {
    return moments.computeIfAbsent(key, k -> stateManager.zeros(like.getShape(), like.getDataType()));
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
