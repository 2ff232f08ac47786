package io.prenas.system;

import io.prenas.supernet.TrainingSession;

/**
 * The engine's intra-op thread count for jobs ({@code prenas.engine.threads}, 0 = one per core), set on the thread
 * that runs the job. libtorch keeps the OpenMP thread count per calling thread (a thread takes the process-wide
 * value once, at its first parallel operation), and float sums split over a different number of threads round
 * differently. Setting it on every job's own thread makes a job's arithmetic the same whichever thread or worker
 * runs it, which is what lets a resumed training end on the very weights of an uninterrupted one.
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
