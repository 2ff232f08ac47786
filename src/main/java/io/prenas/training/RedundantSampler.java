package io.prenas.training;

import io.prenas.space.Architecture;
import io.prenas.space.LayerwiseChoices;
import io.prenas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * AutoFormer-style sampling over the whole space (the baseline PreNAS improves on): a uniform embedding width and
 * depth, then a uniform MLP ratio and head count per layer (per-layer lists in a layer-wise space).
 */
public final class RedundantSampler implements ArchSampler {

  private final SearchSpace space;

  public RedundantSampler(SearchSpace space) {
    this.space = space;
  }

  @Override
  public Architecture sample(long seed, int epoch, long step) {
    SplittableRandom rng = ArchSampler.rngFor(seed, epoch, step);
    int e = space.embedDims().get(rng.nextInt(space.embedDims().size()));
    LayerwiseChoices layerwise = space.layerwise().get(e);
    List<Integer> depths = layerwise == null ? space.depths() : layerwise.depths();
    int d = depths.get(rng.nextInt(depths.size()));
    List<Double> ratios = new ArrayList<>(d);
    List<Integer> heads = new ArrayList<>(d);
    for (int i = 0; i < d; i++) {
      List<Double> r = layerwise == null ? space.mlpRatios() : layerwise.mlpRatiosPerLayer().get(i);
      List<Integer> h = layerwise == null ? space.numHeads() : layerwise.numHeadsPerLayer().get(i);
      ratios.add(r.get(rng.nextInt(r.size())));
      heads.add(h.get(rng.nextInt(h.size())));
    }
    return new Architecture(e, d, ratios, heads);
  }

  @Override
  public String kind() {
    return "redundant";
  }
}
