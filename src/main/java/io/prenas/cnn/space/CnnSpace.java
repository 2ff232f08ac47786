package io.prenas.cnn.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.Architecture;
import io.prenas.space.GradientPlan;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceException;
import io.prenas.space.SupernetSize;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A CNN search space of the {@value #FAMILY} family (spec {@code cnn-space.md}: BigNAS / MobileNetV2 style): elastic
 * resolution, stem width, per stage width and depth, per layer kernel, and head width. The supernet is derived (every
 * dimension at the largest choice), so the space holds only the choices; every choice list is ascending.
 */
public record CnnSpace(String name, CnnModelSettings model, List<Integer> resolutions, StemChoices stem,
    List<StageChoices> stages, List<Integer> headWidths) implements SearchSpace {

  /** The {@code TYPE} of CNN space files. */
  public static final String FAMILY = "cnn";

  public CnnSpace {
    resolutions = List.copyOf(resolutions);
    stages = List.copyOf(stages);
    headWidths = List.copyOf(headWidths);
  }

  /**
   * The space of a neutral handle.
   *
   * @throws SpaceException when it is a space of another family
   */
  public static CnnSpace of(SearchSpace space) {
    if (space instanceof CnnSpace cnn) {
      return cnn;
    }
    throw new SpaceException("space", space.name() + " is a " + space.family() + " space, not a CNN space");
  }

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public int numClasses() {
    return model.numClasses();
  }

  @Override
  public int inChannels() {
    return model.inChans();
  }

  /** The largest resolution: the side a data pipeline must be able to serve. */
  @Override
  public int imageSize() {
    return last(resolutions);
  }

  /** Every resolution of the space, ascending. */
  @Override
  public List<Integer> inputSizes() {
    return resolutions;
  }

  /** An architecture runs at its own resolution. */
  @Override
  public int inputSize(Architecture arch) {
    return CnnArchitecture.of(arch).resolution();
  }

  /**
   * Spec §8: one pass per resolution r, the max architecture at r, loss = cross-entropy summed over the images (no
   * smoothing), data-free images i.i.d. N(0, 1) with uniform labels; each architecture is scored with the gradients of
   * its own resolution.
   */
  @Override
  public GradientPlan gradientPlan() {
    CnnArchitecture max = maxArchitecture();
    List<GradientPlan.Pass> passes = new ArrayList<>();
    for (int r : resolutions) {
      passes.add(new GradientPlan.Pass(r, new CnnArchitecture(r, max.stem(), max.stages(), max.head())));
    }
    return new GradientPlan(passes, GradientPlan.Loss.SUMMED_CROSS_ENTROPY, true,
        GradientPlan.DataFreeImages.STANDARD_NORMAL);
  }

  /** |R| |STEM| |HEAD| times, per stage, |WIDTH| times the sum over depths d of |KERNEL|^d (spec §3). */
  @Override
  public BigInteger architectureCount() {
    BigInteger count = BigInteger.valueOf((long) resolutions.size() * stem.widths().size() * headWidths.size());
    for (StageChoices stage : stages) {
      BigInteger kernelSequences = BigInteger.ZERO;
      for (int d : stage.depths()) {
        kernelSequences = kernelSequences.add(BigInteger.valueOf(stage.kernels().size()).pow(d));
      }
      count = count.multiply(BigInteger.valueOf(stage.widths().size())).multiply(kernelSequences);
    }
    return count;
  }

  /**
   * Checks every value against its choices.
   *
   * @throws SpaceException naming the field as in the architecture JSON ({@code stages[2].kernels[1]})
   */
  @Override
  public void validate(Architecture architecture) {
    CnnArchitecture arch = CnnArchitecture.of(architecture);
    requireChoice("resolution", arch.resolution(), resolutions);
    requireChoice("stem", arch.stem(), stem.widths());
    if (arch.stages().size() != stages.size()) {
      throw new SpaceException("stages", "has " + arch.stages().size() + " stages, space " + name + " has "
          + stages.size());
    }
    for (int s = 0; s < stages.size(); s++) {
      StageConfig stage = arch.stage(s);
      StageChoices choices = stages.get(s);
      String path = "stages[" + s + "]";
      requireChoice(path + ".width", stage.width(), choices.widths());
      requireChoice(path + ".depth", stage.depth(), choices.depths());
      for (int j = 0; j < stage.depth(); j++) {
        requireChoice(path + ".kernels[" + j + "]", stage.kernel(j), choices.kernels());
      }
    }
    requireChoice("head", arch.head(), headWidths);
  }

  private void requireChoice(String field, int value, List<Integer> choices) {
    if (!choices.contains(value)) {
      throw new SpaceException(field, value + " is not one of " + choices + " in space " + name);
    }
  }

  /** The last choice everywhere: the gradient pass's configuration (at the largest resolution). */
  @Override
  public CnnArchitecture maxArchitecture() {
    return uniformChoice(CnnSpace::last);
  }

  /** The first choice everywhere. */
  public CnnArchitecture minArchitecture() {
    return uniformChoice(choices -> choices.get(0));
  }

  private CnnArchitecture uniformChoice(Function<List<Integer>, Integer> pick) {
    List<StageConfig> configs = new ArrayList<>();
    for (StageChoices stage : stages) {
      int depth = pick.apply(stage.depths());
      configs.add(new StageConfig(pick.apply(stage.widths()), depth,
          Collections.nCopies(depth, pick.apply(stage.kernels()))));
    }
    return new CnnArchitecture(pick.apply(resolutions), pick.apply(stem.widths()), configs, pick.apply(headWidths));
  }

  /**
   * Depth: the deepest choice of every stage, added up; width: the widest expanded channel count of any layer, or
   * the head. The supernet is every dimension at its largest, so its parameters are the max architecture's, counted
   * only where a long cannot overflow (such a space is over every limit anyway).
   */
  @Override
  public SupernetSize supernetSize() {
    long depth = 0;
    long width = Math.max(stem.widths().get(stem.widths().size() - 1), headWidths.get(headWidths.size() - 1));
    for (StageChoices stage : stages) {
      depth += stage.depths().get(stage.depths().size() - 1);
      width = Math.max(width, (long) stage.widths().get(stage.widths().size() - 1) * stage.expand());
    }
    boolean countable = depth <= 1 << 16 && width <= 1 << 20 && imageSize() <= 1 << 16;
    return new SupernetSize((int) Math.min(depth, Integer.MAX_VALUE), (int) Math.min(width, Integer.MAX_VALUE),
        countable ? params(maxArchitecture()) : Double.POSITIVE_INFINITY);
  }

  /**
   * The largest architecture's feature maps that a training step keeps for backward: each conv's output with its
   * BatchNorm and activation outputs (three maps), the SE-scaled map, and the projection with its BatchNorm.
   */
  @Override
  public double activationBytesPerImage() {
    CnnArchitecture max = maxArchitecture();
    FeatureSides sides = FeatureSides.of(this, max.resolution());
    double floats = 3.0 * max.stem() * sides.stemOut() * sides.stemOut();
    int prev = max.stem();
    for (int s = 0; s < max.stages().size(); s++) {
      StageConfig stage = max.stage(s);
      int expand = stages.get(s).expand();
      double out2 = (double) sides.layerOut(s) * sides.layerOut(s);
      for (int j = 0; j < stage.depth(); j++) {
        double hidden = (double) expand * (j == 0 ? prev : stage.width());
        double in2 = (double) sides.layerIn(s, j) * sides.layerIn(s, j);
        floats += (expand != 1 ? 3 * hidden * in2 : 0) + 3 * hidden * out2 + (model.se() ? hidden * out2 : 0)
            + 2.0 * stage.width() * out2;
      }
      prev = stage.width();
    }
    floats += 3.0 * max.head() * sides.headSide() * sides.headSide();
    return Float.BYTES * floats;
  }

  @Override
  public long params(Architecture arch) {
    return cost(arch).params();
  }

  /** Multiply-accumulates, an exact integer (below 2^53 for any realistic space, so the double is exact too). */
  @Override
  public double flops(Architecture arch) {
    return cost(arch).flops();
  }

  /** Params and FLOPs of an architecture of this space, as exact integers. */
  public LayerCost cost(Architecture arch) {
    return CnnComplexity.of(this, CnnArchitecture.of(arch));
  }

  @Override
  public ResourceRange resourceRange() {
    return CnnResourceRange.of(this);
  }

  /** Every MBConv layer, the stem and the head have BatchNorm. */
  @Override
  public boolean hasBatchStatistics() {
    return true;
  }

  @Override
  public boolean isArchitectureConfig(JsonNode node) {
    return CnnArchitectureJson.isConfig(node);
  }

  @Override
  public CnnArchitecture readArchitecture(JsonNode config) {
    return CnnArchitectureJson.read(config);
  }

  @Override
  public ObjectNode writeArchitecture(Architecture arch) {
    return CnnArchitectureJson.write(CnnArchitecture.of(arch));
  }

  /**
   * Balanced sampling groups by (resolution, total depth). These two choices set most of a CNN's FLOPs and its
   * training behaviour: each resolution is its own input pipeline and BatchNorm statistics, and depth decides how
   * many shared layer slots a step trains. Grouping by them gives every resolution and every depth of the preferred
   * set its share of steps, as the ViT family does with (embedding width, depth), however many preferred subnets
   * share the same resolution.
   */
  @Override
  public Object samplingGroup(Architecture arch) {
    CnnArchitecture a = CnnArchitecture.of(arch);
    return List.of(a.resolution(), a.totalDepth());
  }

  /** Uniform choice by choice: resolution, stem, per stage width, depth and a kernel per layer, head. */
  @Override
  public CnnArchitecture sample(SplittableRandom random) {
    int resolution = pick(resolutions, random);
    int stemWidth = pick(stem.widths(), random);
    List<StageConfig> configs = new ArrayList<>();
    for (StageChoices stage : stages) {
      int width = pick(stage.widths(), random);
      int depth = pick(stage.depths(), random);
      List<Integer> kernels = new ArrayList<>();
      for (int j = 0; j < depth; j++) {
        kernels.add(pick(stage.kernels(), random));
      }
      configs.add(new StageConfig(width, depth, kernels));
    }
    return new CnnArchitecture(resolution, stemWidth, configs, pick(headWidths, random));
  }

  private static int pick(List<Integer> choices, SplittableRandom random) {
    return choices.get(random.nextInt(choices.size()));
  }

  /**
   * The same space with the single resolution {@code imageSize}: a benchmark at one input size measures the space's
   * architectures at that size. Params and the supernet's tensors do not depend on the resolution.
   */
  @Override
  public CnnSpace withImageSize(int imageSize) {
    if (imageSize <= 0) {
      throw new SpaceException("resolution", "must be positive, got " + imageSize);
    }
    return new CnnSpace(name, model, List.of(imageSize), stem, stages, headWidths);
  }

  @Override
  public String describeText() {
    return CnnSpaceSummary.of(this).toText();
  }

  @Override
  public ObjectNode describe() {
    return CnnSpaceSummary.of(this).toJson();
  }

  private static int last(List<Integer> choices) {
    return choices.get(choices.size() - 1);
  }
}
