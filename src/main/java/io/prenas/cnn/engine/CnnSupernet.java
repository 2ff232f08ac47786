package io.prenas.cnn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.FeatureSides;
import io.prenas.space.Architecture;
import io.prenas.supernet.Devices;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFile;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The BigNAS-style CNN supernet of a space (spec §4, §5): every architecture is a slice of one set of tensors
 * (leading channels, centre kernels, first d slots), run at its own resolution.
 *
 * <p>Its state is two parts. The trainable tensors are the {@link ParameterSet} that the optimiser, the gradient
 * pass and gradient files see. The BatchNorm running statistics are buffers ({@link BatchNormStatistics}): a
 * training pass normalises with batch statistics and moves the running slices with the space's momentum, an
 * evaluation pass reads them, {@link #recalibrate} re-estimates one architecture's. {@link #weights()} (what
 * checkpoints, saves and uploads hold) is both, in state_dict order.
 */
public final class CnnSupernet implements Supernet {

  private final CnnSpace space;
  private final ParameterSet parameters;
  private final BatchNormStatistics statistics;
  private final Map<String, long[]> layout;
  /** Id of the architecture whose statistics the last recalibration set, until a pass or another one changes them. */
  private volatile String recalibratedFor;

  private CnnSupernet(CnnSpace space, ParameterSet parameters, BatchNormStatistics statistics,
      Map<String, long[]> layout) {
    this.space = space;
    this.parameters = parameters;
    this.statistics = statistics;
    this.layout = layout;
  }

  /** Seeded initial weights ({@link CnnInit}) on a device ({@code null} = the engine's default). */
  public static CnnSupernet initialize(CnnSpace space, long seed, String device) {
    return fromTensors(space, CnnInit.weights(space, seed), device);
  }

  /**
   * Weights from spec-named tensors: parameters and running statistics (any float dtype; kept as float32). A
   * PyTorch {@code num_batches_tracked} is ignored.
   *
   * @throws WeightsException naming the first missing, unknown or mis-shaped tensor
   */
  public static CnnSupernet fromTensors(CnnSpace space, Map<String, Tensor> weights, String device) {
    Map<String, long[]> layout = CnnLayout.shapes(space);
    Map<String, Tensor> tensors = CnnLayout.withoutBatchCounters(weights);
    ParameterSet.checkLayout(layout, tensors);
    Map<String, long[]> trainable = CnnLayout.parameters(layout);
    Map<String, Tensor> trainableTensors = new LinkedHashMap<>();
    trainable.keySet().forEach(k -> trainableTensors.put(k, tensors.get(k)));
    ParameterSet parameters = ParameterSet.create(trainable, trainableTensors, Devices.parse(device));
    try {
      return new CnnSupernet(space, parameters,
          BatchNormStatistics.create(CnnLayout.statistics(layout), tensors, parameters.device()), layout);
    } catch (RuntimeException e) {
      parameters.close();
      throw e;
    }
  }

  @Override
  public CnnSpace space() {
    return space;
  }

  @Override
  public ParameterSet parameters() {
    return parameters;
  }

  /** Parameters and running statistics, in state_dict order (spec §4). */
  @Override
  public Map<String, Tensor> weights() {
    Map<String, Tensor> params = parameters.toTensors();
    Map<String, Tensor> stats = statistics.toTensors();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String key : layout.keySet()) {
      out.put(key, params.containsKey(key) ? params.get(key) : stats.get(key));
    }
    return out;
  }

  /** Writes all tensors (state_dict names and order) atomically. */
  public void save(Path file) throws IOException {
    SupernetFile.write(file, space, weights());
  }

  /**
   * Logits of an architecture on images at its resolution. Training: batch statistics, running slices updated
   * with BN_MOMENTUM, dropout before the classifier (unless the mode turns it off); evaluation: stored statistics.
   *
   * @throws io.prenas.space.SpaceException when the architecture is not one of the space
   * @throws IllegalArgumentException when the images are not (B, IN_CHANS, r, r) at the architecture's r
   */
  @Override
  public NDArray forward(Architecture architecture, NDArray images, ForwardMode mode) {
    CnnArchitecture arch = checked(architecture);
    checkShape(arch, images.getShape().getShape());
    BatchNormMode norm = mode.training() ? BatchNormMode.batch(space.model().bnMomentum()) : BatchNormMode.STORED;
    if (mode.training()) {
      recalibratedFor = null;
    }
    return CnnForward.logits(CnnPlan.of(space, arch), parameters::get, statistics, norm, mode, images);
  }

  @Override
  public Tensor logits(Architecture architecture, Tensor images) {
    CnnArchitecture arch = checked(architecture);
    checkShape(arch, images.shape());
    try (GradMode ignored = GradMode.disabled(); NDManager step = parameters.manager().newSubManager()) {
      return NdConvert.toTensor(forward(arch, NdConvert.toNd(step, images), ForwardMode.eval()));
    }
  }

  @Override
  public boolean hasBatchStatistics() {
    return true;
  }

  /**
   * Spec §6: for every BatchNorm the architecture uses, {@code running_mean[:c] = 0} and {@code running_var[:c] =
   * 1}; then for batch k = 1..K a no-grad pass with batch statistics moves the slices by f = 1/k, which leaves the
   * plain mean over batches of the per-batch means and unbiased variances. Nothing else changes.
   */
  @Override
  public void recalibrate(Architecture architecture, List<Tensor> batches) {
    CnnArchitecture arch = checked(architecture);
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("recalibration needs at least one batch");
    }
    // the smallest map is the head's: every BatchNorm needs N*H*W >= 2 values per channel (unbiased variance);
    // checked before any statistic is reset, so a refused recalibration changes nothing
    long headSide = FeatureSides.of(space, arch.resolution()).headSide();
    for (int k = 0; k < batches.size(); k++) {
      long[] shape = batches.get(k).shape();
      checkShape(arch, shape);
      if (shape[0] * headSide * headSide < 2) {
        throw new IllegalArgumentException("recalibration batch " + k + " has " + shape[0] + " image(s) of "
            + headSide + "x" + headSide + " at the head: BatchNorm needs at least 2 values per channel");
      }
    }
    CnnPlan plan = CnnPlan.of(space, arch);
    recalibratedFor = null;
    try (GradMode ignored = GradMode.disabled(); NDManager step = parameters.manager().newSubManager()) {
      for (CnnPlan.BatchNormSite bn : plan.batchNorms()) {
        statistics.reset(bn.prefix(), bn.width(), step);
      }
      for (int k = 1; k <= batches.size(); k++) {
        try (NDManager pass = step.newSubManager()) {
          CnnForward.logits(plan, parameters::get, statistics, BatchNormMode.batch(1.0 / k), ForwardMode.eval(),
              NdConvert.toNd(pass, batches.get(k - 1)));
        }
      }
    }
    recalibratedFor = arch.id();
  }

  /** True when the statistics are those the last recalibration set for {@code arch} (no training pass since). */
  public boolean isRecalibratedFor(CnnArchitecture arch) {
    return arch.id().equals(recalibratedFor);
  }

  /** BatchNorm and bias vectors already get no weight decay; no tensor besides them is exempt. */
  @Override
  public Set<String> noWeightDecay() {
    return Set.of();
  }

  /** The running statistics (the exporter slices them with the parameters). */
  BatchNormStatistics statistics() {
    return statistics;
  }

  private CnnArchitecture checked(Architecture architecture) {
    CnnArchitecture arch = CnnArchitecture.of(architecture);
    space.validate(arch);
    return arch;
  }

  private void checkShape(CnnArchitecture arch, long[] shape) {
    int r = arch.resolution();
    int channels = space.inChannels();
    if (shape.length != 4 || shape[0] < 1 || shape[1] != channels || shape[2] != r || shape[3] != r) {
      throw new IllegalArgumentException("images have shape " + java.util.Arrays.toString(shape) + ", expected [B, "
          + channels + ", " + r + ", " + r + "] (architecture " + arch.id() + " runs at resolution " + r + ")");
    }
  }

  @Override
  public void close() {
    try {
      statistics.close();
    } finally {
      parameters.close();
    }
  }
}
