package io.prenas.system;

import io.prenas.supernet.TrainingSession;

/**
 * The engine's intra-op thread count for jobs ({@code prenas.engine.threads}, 0 = one per core), set on the thread
 * that runs the job. libtorch keeps the OpenMP thread count per calling thread (a thread takes the process-wide
 * value once, at its first parallel operation), and float sums split over a different number of threads round
 * differently. Setting it on every job's own thread makes a job use the same count whichever thread or worker runs
 * it. With one thread a job is bitwise reproducible (a resumed training ends on the very weights of an uninterrupted
 * one); with more, libtorch's CPU kernels themselves are not bitwise reproducible from run to run (seen: one of three
 * identical 2-thread trainings differed in the last bits), so results agree to float rounding only.
 */
final class EngineThreadCount {

  private EngineThreadCount() {}

  static int resolve(int configured) {
    if (configured < 0) {
      throw new IllegalArgumentException("prenas.engine.threads must be 0 (one per core) or positive, got "
          + configured);
    }
    return configured == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : configured;
  }

  static void applyToThisThread(int threads) {
    TrainingSession.setComputeThreads(threads);
  }
}
