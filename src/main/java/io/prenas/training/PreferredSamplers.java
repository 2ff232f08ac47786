package io.prenas.training;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Samplers over the preferred architectures (spec 5.1).
 *
 * <p>{@link #balanced}: architectures are grouped by the space's sampling group in first-seen order (for a ViT:
 * embedding width and depth, the reference's {@code --group-by-dim --group-by-depth}); a step picks a group
 * uniformly, then an architecture uniformly inside it. {@link #uniform}: every preferred architecture with equal probability. The reference reseeds
 * Python's {@code random} with the epoch; we derive each draw from (seed, epoch, step) instead, which keeps the
 * probabilities and makes resumption exact. The sequence is not Python's.
 */
public final class PreferredSamplers {

  private PreferredSamplers() {}

  public static ArchSampler balanced(SearchSpace space, List<Architecture> preferred) {
    List<List<Architecture>> groups = groups(space, preferred);
    return new ArchSampler() {
      @Override
      public Architecture sample(long seed, int epoch, long step) {
        SplittableRandom rng = ArchSampler.rngFor(seed, epoch, step);
        List<Architecture> group = groups.get(rng.nextInt(groups.size()));
        return group.get(rng.nextInt(group.size()));
      }

      @Override
      public String kind() {
        return "balanced";
      }
    };
  }

  public static ArchSampler uniform(List<Architecture> preferred) {
    List<Architecture> all = nonEmpty(preferred);
    return new ArchSampler() {
      @Override
      public Architecture sample(long seed, int epoch, long step) {
        return all.get(ArchSampler.rngFor(seed, epoch, step).nextInt(all.size()));
      }

      @Override
      public String kind() {
        return "uniform";
      }
    };
  }

  /**
   * Groups by the space's {@link SearchSpace#samplingGroup} (for a ViT: embed dim and depth) in first-seen order; each
   * group keeps file order.
   */
  public static List<List<Architecture>> groups(SearchSpace space, List<Architecture> preferred) {
    Map<Object, List<Architecture>> byKey = new LinkedHashMap<>();
    for (Architecture a : nonEmpty(preferred)) {
      byKey.computeIfAbsent(space.samplingGroup(a), k -> new ArrayList<>()).add(a);
    }
    return byKey.values().stream().map(List::copyOf).toList();
  }

  private static List<Architecture> nonEmpty(List<Architecture> preferred) {
    if (preferred == null || preferred.isEmpty()) {
      throw new IllegalArgumentException("no preferred architectures to sample from");
    }
    return List.copyOf(preferred);
  }
}
