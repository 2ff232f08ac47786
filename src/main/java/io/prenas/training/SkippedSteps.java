package io.prenas.training;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training steps skipped because their loss or gradient was not finite, in total and per architecture id. A step
 * is skipped rather than applied so that one bad batch cannot put NaN into the weights; counting them per
 * architecture shows whether one subnet of the preferred set is unstable. Immutable: progress reports share it.
 */
public record SkippedSteps(long total, Map<String, Long> byArchitecture) {

  public SkippedSteps {
    // Sorted by id, so reports, metrics and checkpoints list them in one order.
    byArchitecture = Collections.unmodifiableSortedMap(new TreeMap<>(byArchitecture == null ? Map.of()
        : byArchitecture));
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
}
