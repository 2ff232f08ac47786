package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.tensorio.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * In-place AdamW with {@code torch.optim.AdamW} semantics (decoupled decay {@code p *= 1 - lr * wd}, bias-corrected
 * moments) and the reference's decay groups (spec 5.2, timm {@code create_optimizer}): no decay for 1-D tensors,
 * {@code *.bias}, {@code pos_embed} and {@code cls_token}; the relative-position tables ARE decayed. The update runs
 * over whole tensors, including the rows outside the sampled slice, as the reference does.
 *
 * <p>Moments live in the optimiser's own manager; every temporary of an update is made in the step manager, through
 * views of the parameters and moments, so an update leaves nothing behind.
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

  /** One update of every parameter from its accumulated gradient. */
  void step(Map<String, NDArray> parameters, double learningRate, NDManager step) {
    stepCount++;
    float correction1 = (float) (1 - Math.pow(beta1, stepCount));
    float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, stepCount));
    try (GradMode ignored = GradMode.disabled()) {
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        String key = e.getKey();
        NDArray param = ParameterSet.whole(e.getValue(), step);
        NDArray grad = Autograd.gradient(e.getValue(), step);
        NDArray m = ParameterSet.whole(moment(firstMoment, key, e.getValue()), step);
        NDArray v = ParameterSet.whole(moment(secondMoment, key, e.getValue()), step);
        if (weightDecay != 0 && decays(key, param)) {
          Scalars.muli(param, (float) (1 - learningRate * weightDecay));
        }
        Scalars.muli(m, (float) beta1).addi(Scalars.mul(grad, (float) (1 - beta1)));
        Scalars.muli(v, (float) beta2).addi(Scalars.muli(grad.square(), (float) (1 - beta2)));
        NDArray denominator = Scalars.addi(Scalars.divi(v.sqrt(), correction2Sqrt), (float) eps);
        param.subi(Scalars.muli(m.div(denominator), (float) (learningRate / correction1)));
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
