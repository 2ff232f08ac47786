package io.prenas.training;

import java.util.Map;
import java.util.TreeMap;

/**
 * Training steps skipped because their loss or gradient was not finite, in total and per architecture id. A step
 * is skipped rather than applied so that one bad batch cannot put NaN into the weights; counting them per
 * architecture shows whether one subnet of the preferred set is unstable. Immutable: progress reports share it.
 */
public record SkippedSteps(long total, Map<String, Long> byArchitecture) {

  public SkippedSteps {
    byArchitecture = byArchitecture == null ? Map.of() : Map.copyOf(byArchitecture);
  }

  public static SkippedSteps none() {
    return new SkippedSteps(0, Map.of());
  }

  /** This count plus one skipped step of {@code architectureId}. */
  public SkippedSteps plus(String architectureId) {
    Map<String, Long> next = new TreeMap<>(byArchitecture);
    next.merge(architectureId, 1L, Long::sum);
    return new SkippedSteps(total + 1, next);
  }

  /** Per-architecture counts in id order (for reports and job metrics). */
  public Map<String, Long> byArchitectureSorted() {
    return new TreeMap<>(byArchitecture);
  }
}
