package io.prenas.space;

/**
 * What a bin budget is measured in. Bins work on scaled values, as the reference does: parameters in millions
 * ({@code params / 1e6}) and FLOPs in billions ({@code flops / 1e9}).
 */
public enum Resource {
  PARAMS(1e6, "M"),
  FLOPS(1e9, "G");

  private final double divisor;
  private final String unit;

  Resource(double divisor, String unit) {
    this.divisor = divisor;
    this.unit = unit;
  }

  /** The raw count in bin units; a division (not a multiplication by 1e-6) to match the reference's float value. */
  public double scale(double raw) {
    return raw / divisor;
  }

  /** "M" or "G". */
  public String unit() {
    return unit;
  }

  /** The raw measure of an architecture: its parameter count or its FLOPs. */
  public double measure(Architecture arch, SearchSpace space) {
    return this == PARAMS ? space.params(arch) : space.flops(arch);
  }

  /** The measure in bin units. */
  public double scaledMeasure(Architecture arch, SearchSpace space) {
    return scale(measure(arch, space));
  }
}
