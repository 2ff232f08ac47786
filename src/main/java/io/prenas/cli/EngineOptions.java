package io.prenas.cli;

import io.prenas.supernet.TrainingSession;

/** Engine settings shared by the commands that compute with the supernet. */
final class EngineOptions {

  private EngineOptions() {}

  /** Applies {@code --threads} (0 keeps the engine's default). */
  static void threads(int threads) {
    if (threads < 0) {
      throw new CliException("--threads must be 0 (default) or positive, got " + threads);
    }
    if (threads > 0) {
      TrainingSession.setComputeThreads(threads);
    }
  }
}
