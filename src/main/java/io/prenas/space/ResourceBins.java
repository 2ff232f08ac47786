package io.prenas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * Budget bins of the search (spec 4.5): {@code [lo + k*eps, lo + (k+1)*eps)} for k = 0.. while the upper edge is
 * below {@code hi + 1e-6}, in bin units ({@link Resource#scale}).
 *
 * <p>Float semantics follow the reference exactly: edges are built by repeated float addition (each upper edge is
 * the previous one plus eps), a value's bin is {@code floor((p - lo) / eps)}, values below lo or at or above hi are
 * dropped (-1), and a bin's key is Python's {@code str()} of its upper edge ({@code "6.0"}). A value whose computed
 * index has no bin (hi not on the eps grid, e.g. base: lo 30, eps 12, hi 70) is dropped too.
 */
public final class ResourceBins {

  /** The reference's tolerance on the last edge. */
  private static final double EDGE_TOLERANCE = 1e-6;
  /**
   * The most bins a selection may have: each bin is a row group of the preferred table and a key of its file, so a
   * tiny interval would make a table nobody can use after a full gradient pass. Job submission checks against the
   * same constant ({@link #count}), so a job the selector would refuse is refused before it is queued.
   */
  public static final int MAX_BINS = 100_000;

  private final Resource resource;
  private final double lo;
  private final double hi;
  private final double eps;
  private final List<Bin> bins;
  /** True for bins a family computed exactly ({@link #explicit}): values are binned by the bins' own edges. */
  private final boolean explicit;

  /** One bin: {@code [lower, upper)} in bin units, and its JSON key. */
  public record Bin(int index, double lower, double upper, String key) {}

  private ResourceBins(Resource resource, double lo, double hi, double eps, List<Bin> bins) {
    this(resource, lo, hi, eps, bins, false);
  }

  private ResourceBins(Resource resource, double lo, double hi, double eps, List<Bin> bins, boolean explicit) {
    this.explicit = explicit;
    this.resource = resource;
    this.lo = lo;
    this.hi = hi;
    this.eps = eps;
    this.bins = List.copyOf(bins);
  }

  /**
   * Bins from lo to hi of width eps, all in bin units (M params or G FLOPs).
   *
   * @throws SpaceException when a bound is not finite, eps is not positive, or lo is not below hi
   */
  public static ResourceBins of(Resource resource, double lo, double hi, double eps) {
    if (resource == null) {
      throw new SpaceException("resource", "must be params or flops");
    }
    checkEdges(lo, hi, eps);
    List<Bin> bins = new ArrayList<>();
    for (double lower = lo; lower + eps < hi + EDGE_TOLERANCE; lower = lower + eps) {
      double upper = lower + eps;
      bins.add(new Bin(bins.size(), lower, upper, PythonFloat.repr(upper)));
    }
    return new ResourceBins(resource, lo, hi, eps, bins);
  }

  /**
   * Bins a family computed itself, exactly (the CNN family bins integer MACs with exact decimal edges, spec
   * cnn-space §8): consecutive, in bin units, with the family's keys; {@code eps} is the nominal width.
   *
   * @throws SpaceException when there is no bin or the bins are not consecutive and ascending
   */
  public static ResourceBins explicit(Resource resource, double eps, List<Bin> bins) {
    if (bins.isEmpty()) {
      throw new SpaceException("bins", "no bin between the bounds");
    }
    for (int i = 0; i < bins.size(); i++) {
      Bin b = bins.get(i);
      if (b.index() != i || !(b.lower() < b.upper()) || (i > 0 && bins.get(i - 1).upper() != b.lower())) {
        throw new SpaceException("bins", "bin " + i + " [" + b.lower() + ", " + b.upper() + ") does not follow on");
      }
    }
    return new ResourceBins(resource, bins.get(0).lower(), bins.get(bins.size() - 1).upper(), eps, bins, true);
  }

  /**
   * How many bins {@link #of} makes from lo to hi of width eps, without building them: the same float additions,
   * after the same checks (at most {@link #MAX_BINS} additions).
   *
   * @throws SpaceException as {@link #of} does: a bound not finite, eps not positive, lo not below hi, or more than
   *     {@link #MAX_BINS} bins (key {@code eps})
   */
  public static int count(double lo, double hi, double eps) {
    checkEdges(lo, hi, eps);
    int n = 0;
    for (double lower = lo; lower + eps < hi + EDGE_TOLERANCE; lower = lower + eps) {
      n++;
    }
    return n;
  }

  private static void checkEdges(double lo, double hi, double eps) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !Double.isFinite(eps)) {
      throw new SpaceException("bins", "lo, hi and eps must be finite, got " + lo + ", " + hi + ", " + eps);
    }
    if (!(eps > 0)) {
      throw new SpaceException("eps", "must be positive, got " + eps);
    }
    if (!(lo < hi)) {
      throw new SpaceException("lo", "must be below hi, got lo " + lo + " and hi " + hi);
    }
    if ((hi - lo) / eps > MAX_BINS) {
      throw new SpaceException("eps", "gives more than " + MAX_BINS + " bins between " + lo + " and " + hi);
    }
  }

  public Resource resource() {
    return resource;
  }

  public double lo() {
    return lo;
  }

  public double hi() {
    return hi;
  }

  public double eps() {
    return eps;
  }

  public List<Bin> bins() {
    return bins;
  }

  public int size() {
    return bins.size();
  }

  public Bin bin(int index) {
    return bins.get(index);
  }

  /** The bin key of a bin index ({@code str(upper edge)}). */
  public String key(int index) {
    return bins.get(index).key();
  }

  /** Bin index of a value in bin units, or -1 when it is outside every bin. */
  public int binIndex(double scaledValue) {
    if (Double.isNaN(scaledValue) || scaledValue < lo || scaledValue >= hi) {
      return -1;
    }
    if (explicit) {
      for (Bin b : bins) {
        if (scaledValue >= b.lower() && scaledValue < b.upper()) return b.index();
      }
      return -1;
    }
    int index = (int) Math.floor((scaledValue - lo) / eps);
    return index < bins.size() ? index : -1;
  }

  /** Bin index of a raw count (parameters or FLOPs, unscaled). */
  public int binIndexOfRaw(double rawValue) {
    return binIndex(resource.scale(rawValue));
  }

  /** Bin index of an architecture of a space. */
  public int binIndexOf(Architecture arch, SearchSpace space) {
    return binIndex(resource.scaledMeasure(arch, space));
  }
}
