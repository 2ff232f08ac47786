package io.prenas.catalog;

/**
 * No published model of the space fits the budget. {@link #minimalMaxParams()} and {@link #minimalMaxFlops()} give the
 * smallest budget that would fit (null where the space has no model at all or the bound was not the problem).
 */
public class NoModelFitsException extends RuntimeException {

  private final Long minimalMaxParams;
  private final Double minimalMaxFlops;

  public NoModelFitsException(String message, Long minimalMaxParams, Double minimalMaxFlops) {
    super(message);
    this.minimalMaxParams = minimalMaxParams;
    this.minimalMaxFlops = minimalMaxFlops;
  }

  public Long minimalMaxParams() {
    return minimalMaxParams;
  }

  public Double minimalMaxFlops() {
    return minimalMaxFlops;
  }
}
