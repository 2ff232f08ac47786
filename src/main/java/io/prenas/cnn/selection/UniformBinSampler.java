package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.StageChoices;
import io.prenas.cnn.space.StageConfig;
import io.prenas.selector.SelectorException;
import io.prenas.space.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Distinct architectures drawn uniformly from those of a bin (the random-pick baseline): architectures drawn uniformly
 * from the whole space, and kept when their cost lies in the bin and they were not drawn before. Rejection keeps the
 * draw exactly uniform over the bin; the bin's exact count (from {@link BinCounts}) bounds the expected work, and a bin
 * too thin for it is refused rather than searched for a long time.
 *
 * <p>Uniform over architectures is not choice by choice ({@link CnnSpace#sample}, the redundant sampler): a stage
 * with depths d and K kernels has K^d kernel sequences at depth d, so a depth is drawn with weight K^d.
 */
final class UniformBinSampler {

  /** Refused above this many expected draws per pick: the bin holds too small a share of the space. */
  static final double MAX_DRAWS_PER_PICK = 5e7;

  private final CnnSpace space;
  private final Resource resource;

  UniformBinSampler(CnnSpace space, Resource resource) {
    this.space = space;
    this.resource = resource;
  }

  /**
   * Up to {@code n} distinct architectures of [lo, hiExclusive), in draw order.
   *
   * @param inBin the bin's exact architecture count
   * @param total the space's architecture count
   * @throws SelectorException when the bin holds too small a share of the space to sample it by rejection
   */
  List<CnnArchitecture> draw(long lo, long hiExclusive, int n, long inBin, long total, SplittableRandom random) {
    long wanted = Math.min(n, inBin);
    if (wanted == 0) return List.of();
    if ((double) total / inBin > MAX_DRAWS_PER_PICK) {
      throw new SelectorException(String.format(java.util.Locale.ROOT, "random picks: the bin [%d, %d) holds %d of "
          + "the space's %d architectures, too few to draw uniformly by rejection", lo, hiExclusive, inBin, total));
    }
    Map<String, CnnArchitecture> picked = new LinkedHashMap<>();
    while (picked.size() < wanted) {
      CnnArchitecture arch = uniform(random);
      long cost = resource == Resource.PARAMS ? space.cost(arch).params() : space.cost(arch).flops();
      if (cost >= lo && cost < hiExclusive) picked.putIfAbsent(arch.id(), arch);
    }
    return new ArrayList<>(picked.values());
  }

  /** One architecture, each of the space's architectures equally likely. */
  CnnArchitecture uniform(SplittableRandom random) {
    int resolution = pick(space.resolutions(), random);
    int stem = pick(space.stem().widths(), random);
    List<StageConfig> stages = new ArrayList<>();
    for (StageChoices stage : space.stages()) {
      int width = pick(stage.widths(), random);
      int depth = depthWeightedBySequences(stage, random);
      List<Integer> kernels = new ArrayList<>();
      for (int j = 0; j < depth; j++) kernels.add(pick(stage.kernels(), random));
      stages.add(new StageConfig(width, depth, kernels));
    }
    return new CnnArchitecture(resolution, stem, stages, pick(space.headWidths(), random));
  }

  private static int depthWeightedBySequences(StageChoices stage, SplittableRandom random) {
    int k = stage.kernels().size();
    double total = 0;
    for (int d : stage.depths()) total += Math.pow(k, d);
    double u = random.nextDouble() * total;
    for (int d : stage.depths()) {
      u -= Math.pow(k, d);
      if (u < 0) return d;
    }
    return stage.depths().get(stage.depths().size() - 1);
  }

  private static int pick(List<Integer> choices, SplittableRandom random) {
    return choices.get(random.nextInt(choices.size()));
  }
}
