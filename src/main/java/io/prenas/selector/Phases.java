package io.prenas.selector;

import java.util.function.Supplier;

/** Runs the selector's phases one by one, announcing each to a {@link PhaseListener} with its wall time. */
public final class Phases {

  private final PhaseListener listener;

  public Phases(PhaseListener listener) {
    this.listener = listener;
  }

  /** Runs {@code work} as the phase {@code name}. */
  public <T> T run(String name, Supplier<T> work) {
    listener.started(name);
    long t0 = System.nanoTime();
    T result = work.get();
    listener.finished(name, System.nanoTime() - t0);
    return result;
  }
}
