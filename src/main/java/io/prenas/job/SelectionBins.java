package io.prenas.job;

import io.prenas.space.ResourceBins;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpace;
import io.prenas.space.SpaceException;

/**
 * The parameter bins a selection runs with, in M params: the job's {@code binMin}, {@code binMax} and
 * {@code binInterval} where given, else the space's parameter range (rounded out to 0.01 M) cut into
 * {@value #DEFAULT_BINS} equal bins. The selector engine and the submission check both use this, so a job is judged
 * on the very bins it would run with.
 */
public record SelectionBins(double min, double max, double interval) {

  /** Bins over the space's range when the job gives no interval. */
  public static final int DEFAULT_BINS = 5;

  /** The bins of a job's options on a space. */
  public static SelectionBins of(SearchSpace space, Double binMin, Double binMax, Double binInterval) {
    double min;
    double max;
    if (binMin != null && binMax != null) {
      min = binMin;
      max = binMax;
    } else {
      ResourceRange range = space.resourceRange();
      min = binMin != null ? binMin : Math.floor(range.minParams() / 1e4) / 100; // round down to 0.01 M
      max = binMax != null ? binMax : Math.ceil(range.maxParams() / 1e4 + 1e-9) / 100 + 0.01;
    }
    double interval = binInterval != null ? binInterval : (max - min) / DEFAULT_BINS;
    return new SelectionBins(min, max, interval);
  }

  /**
   * Refuses, before the job is queued, bins the selector could not use: bounds in the wrong order, more bins than
   * {@link ResourceBins#MAX_BINS} (the selector's own limit), no bin at all, or bins that no architecture of the
   * space falls into (the table would be empty after a full gradient pass).
   *
   * @throws JobOptionException naming {@code options.binMin}, {@code options.binMax} or {@code options.binInterval}
   */
  void check(SearchSpace space) {
    if (!(min < max)) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, "options.binMin", "the bins would run from "
          + min + " to " + max + " M params: the lower bound must be below the upper one (give both, or neither "
          + "to bin the space's whole range)");
    }
    int bins;
    try {
      bins = ResourceBins.count(min, max, interval);
    } catch (SpaceException e) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, "options.binInterval", interval + " M gives "
          + "more than " + ResourceBins.MAX_BINS + " bins between " + min + " and " + max + " M params (at most "
          + ResourceBins.MAX_BINS + "); choose an interval of at least " + (max - min) / ResourceBins.MAX_BINS);
    }
    if (bins == 0) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, "options.binInterval", interval + " M is "
          + "wider than the range " + min + " to " + max + " M params: not one bin fits");
    }
    ResourceRange range = space.resourceRange();
    double smallest = range.minParams() / 1e6;
    double largest = range.maxParams() / 1e6;
    if (largest < min || smallest >= max) {
      throw new JobOptionException(JobOptionException.Kind.UNRUNNABLE, largest < min ? "options.binMin"
          : "options.binMax", "the bins (" + min + " to " + max + " M params) hold no architecture of space '"
          + space.name() + "', whose architectures have " + smallest + " to " + largest + " M params");
    }
  }
}
