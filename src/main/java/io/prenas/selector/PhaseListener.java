package io.prenas.selector;

/**
 * Hears the selector's phases as they run ({@link ZeroCostSelector#run}): the CLI and the benchmark time them
 * ({@link PhaseTimes}), a job reports them as its progress.
 */
public interface PhaseListener {

  /** A phase begins. */
  default void started(String phase) {}

  /** A phase ended after {@code elapsedNanos} of wall time. */
  void finished(String phase, long elapsedNanos);

  /** Both listeners, in order. */
  default PhaseListener andThen(PhaseListener next) {
    PhaseListener first = this;
    return new PhaseListener() {
      @Override
      public void started(String phase) {
        first.started(phase);
        next.started(phase);
      }

      @Override
      public void finished(String phase, long elapsedNanos) {
        first.finished(phase, elapsedNanos);
        next.finished(phase, elapsedNanos);
      }
    };
  }
}
