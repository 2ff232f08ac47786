package io.prenas.vit.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.Architecture;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceException;
import io.prenas.space.SupernetSize;
import java.util.SplittableRandom;

import io.prenas.space.SpaceException;
import io.prenas.space.SupernetSize;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A ViT search space (the {@value #FAMILY} family): the supernet tensor sizes, the fixed model settings and the searchable choices.
 *
 * <p>Two shapes exist, both read from the reference's YAML format:
 * <ul>
 *   <li><b>flat</b> (AutoFormer, {@code supernet-T.yaml}): every layer may take any MLP ratio and head count of the
 *       global lists, every embedding width any depth. Isomer enumeration (spec 4.4) works on this shape.</li>
 *   <li><b>layer-wise</b> ({@code tiny.yaml}, written by {@code candidates_to_choices.py}): per embedding width, the
 *       allowed depths and per-layer choice lists. {@link #layerwise()} holds them; the global lists are the unions.</li>
 * </ul>
 * Lists keep the file's order (enumeration visits {@code EMBED_DIM} and {@code DEPTH} in file order, as the
 * reference does); {@link #sortedMlpRatios()} and {@link #sortedNumHeads()} give the ascending choice order that
 * the greedy allocation uses.
 */
public record VitSpace(String name, SupernetDims supernet, ModelSettings model, List<Integer> embedDims,
    List<Integer> depths, List<Double> mlpRatios, List<Integer> numHeads, Map<Integer, LayerwiseChoices> layerwise)
    implements SearchSpace {

  /** The {@code TYPE} of ViT space files (the default when a file has none). */
  public static final String FAMILY = "vit";

  public VitSpace {
    embedDims = List.copyOf(embedDims);
    depths = List.copyOf(depths);
    mlpRatios = List.copyOf(mlpRatios);
    numHeads = List.copyOf(numHeads);
    layerwise = layerwise == null ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerwise));
  }

  /** True for a reduced space with per-embedding-width, per-layer choices. */
  public boolean isLayerwise() {
    return !layerwise.isEmpty();
  }

  public List<Double> sortedMlpRatios() {
    List<Double> sorted = new ArrayList<>(new TreeSet<>(mlpRatios));
    return List.copyOf(sorted);
  }

  public List<Integer> sortedNumHeads() {
    return List.copyOf(new TreeSet<>(numHeads));
  }

  public int maxEmbedDim() {
    return Collections.max(embedDims);
  }

  public int maxDepth() {
    return Collections.max(depths);
  }

  /**
   * The largest architecture of the space: max embedding width, max depth, max heads and max MLP ratio in every
   * layer. This is the configuration of the zero-cost gradient pass (spec 4.1).
   */
  @Override
  public VitArchitecture maxArchitecture() {
    return VitArchitecture.uniform(maxEmbedDim(), maxDepth(), Collections.max(mlpRatios), Collections.max(numHeads));
  }

  /** The smallest architecture of the space (min width, min depth, min heads and ratio everywhere). */
  public VitArchitecture minArchitecture() {
    return VitArchitecture.uniform(Collections.min(embedDims), Collections.min(depths), Collections.min(mlpRatios),
        Collections.min(numHeads));
  }

  /**
   * The choices of one embedding width in the per-layer form of {@link LayerwiseChoices}: for a layer-wise space the
   * file's lists, for a flat space the global lists repeated for every layer up to the deepest depth.
   *
   * @throws SpaceException if the width is not one of {@link #embedDims()}
   */
  public LayerwiseChoices choicesFor(int embedDim) {
    if (!embedDims.contains(embedDim)) {
      throw new SpaceException("embed_dim", embedDim + " is not one of " + embedDims + " in space " + name);
    }
    if (isLayerwise()) {
      return layerwise.get(embedDim);
    }
    int deepest = maxDepth();
    return new LayerwiseChoices(depths, Collections.nCopies(deepest, mlpRatios), Collections.nCopies(deepest, numHeads));
  }

  /**
   * Number of distinct architectures: the sum over widths and depths of the product over layers of
   * (#ratios x #heads). For a flat space that is {@code sum_E sum_D (|mlp| * |heads|)^D}.
   */
  @Override
  public BigInteger architectureCount() {
    BigInteger total = BigInteger.ZERO;
    for (int e : embedDims) {
      LayerwiseChoices choices = choicesFor(e);
      for (int d : choices.depths()) {
        BigInteger product = BigInteger.ONE;
        for (int i = 0; i < d; i++) {
          long perLayer = (long) choices.mlpRatiosPerLayer().get(i).size() * choices.numHeadsPerLayer().get(i).size();
          product = product.multiply(BigInteger.valueOf(perLayer));
        }
        total = total.add(product);
      }
    }
    return total;
  }

  /**
   * Checks that an architecture belongs to this space.
   *
   * @throws SpaceException naming the field ({@code embed_dim}, {@code layer_num}, {@code num_heads},
   *     {@code mlp_ratio}) and the layer at fault
   */
  @Override
  public void validate(Architecture architecture) {
    VitArchitecture arch = VitArchitecture.of(architecture);
    LayerwiseChoices choices = choicesFor(arch.embedDim());
    if (!choices.depths().contains(arch.depth())) {
      throw new SpaceException("layer_num", arch.depth() + " is not one of " + choices.depths() + " for embed_dim "
          + arch.embedDim() + " in space " + name);
    }
    for (int i = 0; i < arch.depth(); i++) {
      List<Double> ratios = choices.mlpRatiosPerLayer().get(i);
      if (!ratios.contains(arch.mlpRatio(i))) {
        throw new SpaceException("mlp_ratio", "layer " + i + " has " + arch.mlpRatio(i) + ", allowed " + ratios);
      }
      List<Integer> heads = choices.numHeadsPerLayer().get(i);
      if (!heads.contains(arch.heads(i))) {
        throw new SpaceException("num_heads", "layer " + i + " has " + arch.heads(i) + ", allowed " + heads);
      }
    }
  }

  /**
   * The space of a neutral handle.
   *
   * @throws SpaceException when it is a space of another family
   */
  public static VitSpace of(SearchSpace space) {
    if (space instanceof VitSpace vit) {
      return vit;
    }
    throw new SpaceException("space", space.name() + " is a " + space.family() + " space, not a ViT space");
  }

  @Override
  public String family() {
    return FAMILY;
  }

  /** The ViT forward computes linear layers, the patch convolution and attention's products in bfloat16. */
  @Override
  public boolean supportsBf16() {
    return true;
  }

  @Override
  public int numClasses() {
    return model.numClasses();
  }

  @Override
  public int inChannels() {
    return model.inChans();
  }

  @Override
  public int imageSize() {
    return model.imageSize();
  }

  /**
   * Depth and width straight from {@code SUPERNET}; the exact parameter count ({@link Complexity#supernetParams})
   * only where it cannot overflow a long, infinite beyond (such a space is over every limit anyway).
   */
  @Override
  public SupernetSize supernetSize() {
    boolean countable = supernet.embedDim() <= 1 << 20 && supernet.ffnDim() > 0 && supernet.ffnDim() <= 1 << 22
        && supernet.depth() <= 1 << 20 && model.imageSize() <= 1 << 16;
    return new SupernetSize(supernet.depth(), Math.max(supernet.embedDim(), supernet.ffnDim()),
        countable ? Complexity.supernetParams(this) : Double.POSITIVE_INFINITY);
  }

  /**
   * Per block of the largest architecture, for T tokens, width E, hidden width F and H heads: the attention scores
   * with their softmax and relative-position terms (3·H·T²), about ten E-wide token tensors (norms, q, k, v,
   * projections, residuals) and three F-wide ones (fc1, GELU, fc2 input). On Tiny at 224 that is 84 MB per image;
   * the gradient pass measured 91 MB per image (peak RSS at batch 64 in one pass against micro-batches of 16, the same
   * run: docs/bench/activation-memory.md), so the estimate is 0.93 of what the engine takes.
   */
  @Override
  public double activationBytesPerImage() {
    VitArchitecture max = maxArchitecture();
    double tokens = model.numPatches() + 1;
    double perBlock = 0;
    for (int i = 0; i < max.depth(); i++) {
      perBlock += 3.0 * max.heads(i) * tokens * tokens + 10.0 * tokens * max.embedDim() + 3.0 * tokens * max.ffnDim(i);
    }
    return Float.BYTES * perBlock;
  }

  @Override
  public long params(Architecture arch) {
    return Complexity.params(VitArchitecture.of(arch), model);
  }

  @Override
  public double flops(Architecture arch) {
    return Complexity.flops(VitArchitecture.of(arch), model);
  }

  @Override
  public ResourceRange resourceRange() {
    return Complexity.range(this);
  }

  @Override
  public boolean isArchitectureConfig(JsonNode node) {
    return VitArchitectureJson.isConfig(node);
  }

  @Override
  public VitArchitecture readArchitecture(JsonNode config) {
    return VitArchitectureJson.readConfig(config);
  }

  @Override
  public ObjectNode writeArchitecture(Architecture arch) {
    return VitArchitectureJson.toConfig(VitArchitecture.of(arch));
  }

  /** Balanced sampling groups by (embedding width, depth), the reference's {@code --group-by-dim --group-by-depth}. */
  @Override
  public Object samplingGroup(Architecture arch) {
    VitArchitecture a = VitArchitecture.of(arch);
    return List.of(a.embedDim(), a.depth());
  }

  /**
   * AutoFormer-style sampling: a uniform embedding width and depth, then a uniform MLP ratio and head count per layer
   * (per-layer lists in a layer-wise space).
   */
  @Override
  public VitArchitecture sample(SplittableRandom rng) {
    int e = embedDims.get(rng.nextInt(embedDims.size()));
    LayerwiseChoices choices = layerwise.get(e);
    List<Integer> depthChoices = choices == null ? depths : choices.depths();
    int d = depthChoices.get(rng.nextInt(depthChoices.size()));
    List<Double> ratios = new ArrayList<>(d);
    List<Integer> heads = new ArrayList<>(d);
    for (int i = 0; i < d; i++) {
      List<Double> r = choices == null ? mlpRatios : choices.mlpRatiosPerLayer().get(i);
      List<Integer> h = choices == null ? numHeads : choices.numHeadsPerLayer().get(i);
      ratios.add(r.get(rng.nextInt(r.size())));
      heads.add(h.get(rng.nextInt(h.size())));
    }
    return new VitArchitecture(e, d, ratios, heads);
  }

  @Override
  public VitSpace withImageSize(int imageSize) {
    ModelSettings m = model;
    ModelSettings resized = new ModelSettings(imageSize, m.patchSize(), m.inChans(), m.numClasses(),
        m.maxRelativePosition());
    return new VitSpace(name, supernet, resized, embedDims, depths, mlpRatios, numHeads, layerwise);
  }

  @Override
  public String describeText() {
    return SpaceSummary.of(this).toText();
  }

  @Override
  public ObjectNode describe() {
    return SpaceSummary.of(this).toJson();
  }
}
