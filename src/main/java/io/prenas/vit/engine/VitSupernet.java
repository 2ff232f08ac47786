package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.space.SpaceException;
import io.prenas.supernet.Devices;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.GradientPass;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.PinnedArchitecture;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFile;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weight-entangled ViT supernet of a search space (spec 2): one set of tensors with the reference's
 * {@code state_dict} names and shapes, of which every architecture of the space is a slice. Forward passes slice
 * inside the pass and copy no weights, so any number of architectures can be evaluated on the same weights.
 *
 * <p>Weights travel as safetensors files (or {@link Tensor} maps) in the reference layout: a reference checkpoint
 * converted to safetensors loads as is, and files we save load in the reference. Thread-safe for concurrent
 * evaluation; training passes are serialised by {@link GradientPass} and the benchmark.
 */
public final class VitSupernet implements Supernet {

  private final VitSpace space;
  private final ParameterSet parameters;
  private final RelativePosition2D positions;

  private VitSupernet(VitSpace space, ParameterSet parameters) {
    this.space = space;
    this.parameters = parameters;
    ModelSettings m = space.model();
    this.positions = new RelativePosition2D(m.gridSide(), m.maxRelativePosition());
  }

  /** Seeded reference-style initial weights (see {@link ReferenceInit}) on the engine's default device. */
  public static VitSupernet initialize(VitSpace space, long seed) {
    return initialize(space, seed, null);
  }

  /** Seeded reference-style initial weights on the named device ({@code "cpu"}, {@code "gpu0"}, null = default). */
  public static VitSupernet initialize(VitSpace space, long seed, String device) {
    return fromTensors(space, ReferenceInit.weights(space, seed), device);
  }

  /**
   * Weights from reference-named tensors (any float dtype; kept as float32).
   *
   * @throws WeightsException naming the first missing, unknown or mis-shaped key
   */
  public static VitSupernet fromTensors(VitSpace space, Map<String, Tensor> weights, String device) {
    return new VitSupernet(space, ParameterSet.create(SupernetLayout.shapes(space), weights,
        Devices.parse(device)));
  }

  @Override
  public VitSpace space() {
    return space;
  }

  /** Writes the weights (reference names and order) atomically. */
  public void save(Path file) throws IOException {
    SupernetFile.write(file, space, weights());
  }

  /**
   * Evaluation-mode logits of one architecture.
   *
   * @param images float tensor (B, in_chans, image_size, image_size)
   * @return float32 logits (B, num_classes)
   * @throws SpaceException when the architecture does not fit in the supernet
   * @throws IllegalArgumentException when the images have the wrong shape
   */
  @Override
  public Tensor logits(Architecture arch, Tensor images) {
    Supernet.checkImages(space, images);
    try (GradMode ignored = GradMode.disabled(); NDManager step = parameters.manager().newSubManager()) {
      NDArray x = NdConvert.toNd(step, images);
      return NdConvert.toTensor(forward(arch, x, ForwardMode.eval()));
    }
  }

  /** Logits as arrays of the step manager that owns {@code images}; the caller picks the mode. */
  @Override
  public NDArray forward(Architecture architecture, NDArray images, ForwardMode mode) {
    VitArchitecture arch = VitArchitecture.of(architecture);
    checkFits(space.supernet(), arch);
    VitWeights slice = SubnetSlicer.slice(parameters, arch, images.getManager());
    return VitForward.logits(slice, images, positions, mode, space.supernet().depth());
  }

  @Override
  public Optional<PinnedArchitecture> pin(Architecture architecture, NDManager owner) {
    VitArchitecture arch = VitArchitecture.of(architecture);
    checkFits(space.supernet(), arch);
    return Optional.of(new PinnedVitArchitecture(this, arch, owner));
  }

  /** The position embedding and the cls token, as the reference's {@code no_weight_decay()}. */
  @Override
  public Set<String> noWeightDecay() {
    return Set.of(SupernetLayout.POS_EMBED, SupernetLayout.CLS_TOKEN);
  }

  @Override
  public ParameterSet parameters() {
    return parameters;
  }

  RelativePosition2D positions() {
    return positions;
  }

  /** The supernet tensors must be at least as large as every slice the architecture takes. */
  static void checkFits(SupernetDims s, VitArchitecture arch) {
    if (arch.embedDim() > s.embedDim()) {
      throw new SpaceException("embed_dim", arch.embedDim() + " exceeds the supernet width " + s.embedDim());
    }
    if (arch.depth() > s.depth()) {
      throw new SpaceException("layer_num", arch.depth() + " exceeds the supernet depth " + s.depth());
    }
    for (int i = 0; i < arch.depth(); i++) {
      if (arch.qkDim(i) > s.embedDim()) {
        throw new SpaceException("num_heads", "layer " + i + " has " + arch.heads(i) + " heads, wider ("
            + arch.qkDim(i) + ") than the supernet (" + s.embedDim() + ")");
      }
      if (arch.ffnDim(i) > s.ffnDim()) {
        throw new SpaceException("mlp_ratio", "layer " + i + " has MLP width " + arch.ffnDim(i)
            + ", above the supernet's " + s.ffnDim());
      }
    }
  }

  @Override
  public void close() {
    parameters.close();
  }
}
