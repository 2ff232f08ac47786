package io.prenas.selector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall-clock time of named phases, in the order they ran; for the CLI summary and the benchmark. */
public final class PhaseTimes implements PhaseListener {

  private final Map<String, Long> nanos = new LinkedHashMap<>();

  /** Runs a phase and records its time (added to any earlier time of the same name). */
  public <T> T time(String phase, Supplier<T> work) {
    long t0 = System.nanoTime();
    try {
      return work.get();
    } finally {
      record(phase, System.nanoTime() - t0);
    }
  }

  public void record(String phase, long elapsedNanos) {
    nanos.merge(phase, elapsedNanos, Long::sum);
  }

  @Override
  public void finished(String phase, long elapsedNanos) {
    record(phase, elapsedNanos);
  }

  public Map<String, Long> nanos() {
    return Collections.unmodifiableMap(nanos);
  }

  public double seconds(String phase) {
    return nanos.getOrDefault(phase, 0L) / 1e9;
  }
}
