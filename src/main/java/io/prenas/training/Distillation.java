package io.prenas.training;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import java.util.List;

/**
 * BigNAS in-place distillation (Yu et al. 2020, section 3.1) adapted to preferred training: in every step the largest
 * preferred architecture (the teacher) is trained on the labels as usual, and the sampled architecture is trained on
 * the teacher's softmax of the same batch, detached; both gradients are summed into the shared weights for one
 * optimiser update. A step that samples the teacher itself is one normal step.
 *
 * <p>What differs from BigNAS on purpose: BigNAS trains the largest, the smallest and two random architectures every
 * step (the sandwich rule). PreNAS trains only its preferred set, one architecture per step drawn by the balanced
 * sampler, so the sandwich is left out: the teacher is the one extra forward/backward per step, and the smallest
 * architecture is trained only when the sampler draws it.
 *
 * @param enabled off by default; an off run is bit for bit what it was before distillation existed
 * @param temperature softens both the teacher's and the student's softmax; the student loss is multiplied by
 *     {@code T^2} so that its gradient keeps its scale (Hinton et al. 2015). BigNAS uses 1.
 */
public record Distillation(boolean enabled, double temperature) {

  /** No distillation. */
  public static final Distillation OFF = new Distillation(false, 1);

  public Distillation {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("distillation temperature must be a positive finite number, got "
          + temperature);
    }
    if (!enabled) {
      temperature = 1; // every "off" is the same setting (a resume compares them)
    }
  }

  /** Distillation at {@code temperature} (1 as BigNAS). */
  public static Distillation on(double temperature) {
    return new Distillation(true, temperature);
  }

  /** {@code d}, or {@link #OFF} for {@code null} (a checkpoint or config from before distillation existed). */
  public static Distillation orOff(Distillation d) {
    return d == null ? OFF : d;
  }

  /** "off", or "on (temperature 1)". */
  public String describe() {
    return enabled ? "on (temperature " + temperature + ")" : "off";
  }

  /**
   * The teacher: the largest preferred architecture by FLOPs; a tie goes to the one with more parameters, and a tie
   * in both to the first in the preferred list. FLOPs first because they measure the compute a forward pass does
   * (what the teacher's capacity is in a CNN space with several resolutions), params second for spaces whose FLOPs
   * tie; the list order makes the choice deterministic.
   */
  public static Architecture teacher(SearchSpace space, List<Architecture> preferred) {
    if (preferred.isEmpty()) {
      throw new IllegalArgumentException("distillation needs at least one preferred architecture");
    }
    Architecture best = preferred.get(0);
    for (Architecture a : preferred.subList(1, preferred.size())) {
      int byFlops = Double.compare(space.flops(a), space.flops(best));
      if (byFlops > 0 || (byFlops == 0 && space.params(a) > space.params(best))) {
        best = a;
      }
    }
    return best;
  }
}
