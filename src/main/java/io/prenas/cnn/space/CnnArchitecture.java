package io.prenas.cnn.space;

import io.prenas.space.Architecture;
import io.prenas.space.SpaceException;
import java.util.List;

/**
 * One sub-network of a CNN space (spec §2): the input resolution, the stem width, per stage a width, a depth and one
 * kernel per layer, and the head width. Immutable; two architectures are equal exactly when their ids are equal.
 */
public record CnnArchitecture(int resolution, int stem, List<StageConfig> stages, int head) implements Architecture {

  public CnnArchitecture {
    if (resolution <= 0) {
      throw new SpaceException("resolution", "must be positive, got " + resolution);
    }
    if (stem <= 0) {
      throw new SpaceException("stem", "must be positive, got " + stem);
    }
    if (stages == null || stages.isEmpty()) {
      throw new SpaceException("stages", "must hold one entry per stage");
    }
    if (head <= 0) {
      throw new SpaceException("head", "must be positive, got " + head);
    }
    stages = List.copyOf(stages);
  }

  /**
   * The CNN architecture behind the family-neutral interface.
   *
   * @throws SpaceException when it is an architecture of another family
   */
  public static CnnArchitecture of(Architecture arch) {
    if (arch instanceof CnnArchitecture cnn) {
      return cnn;
    }
    throw new SpaceException("architecture", arch.id() + " is not a CNN architecture");
  }

  public StageConfig stage(int s) {
    return stages.get(s);
  }

  /** Layers over all stages: the depth the balanced sampler groups by. */
  public int totalDepth() {
    return stages.stream().mapToInt(StageConfig::depth).sum();
  }

  /** The canonical id of spec §3, e.g. {@code r224-s32-16k3-24k33-40k33-80k33-112k33-192k33-320k3-h1280}. */
  @Override
  public String id() {
    return CnnArchitectureId.write(this);
  }

  @Override
  public String toString() {
    return id();
  }
}
