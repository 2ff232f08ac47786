package io.prenas.training;

import io.prenas.space.Architecture;
import java.util.SplittableRandom;

/**
 * Chooses the architecture trained at each step. Draws are a pure function of (seed, epoch, step), so training
 * resumed from a checkpoint draws exactly the architectures it would have drawn without the interruption.
 */
public interface ArchSampler {

  /** The architecture for a step. */
  Architecture sample(long seed, int epoch, long step);

  /** The kind written into checkpoints and results ({@code balanced}, {@code uniform}, {@code redundant}). */
  String kind();

  /** A random generator for one step, independent of every other step. */
  static SplittableRandom rngFor(long seed, int epoch, long step) {
    long mixed = seed * 0x9E3779B97F4A7C15L ^ (epoch + 0x632BE59BD9B4E019L) * 0xBF58476D1CE4E5B9L ^ step * 0x94D049BB133111EBL;
    return new SplittableRandom(mixed);
  }
}
