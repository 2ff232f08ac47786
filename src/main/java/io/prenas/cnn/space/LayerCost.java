package io.prenas.cnn.space;

/** Parameters and FLOPs (multiply-accumulates) of one part of a CNN: exact integers, summed part by part. */
public record LayerCost(long params, long flops) {

  public static final LayerCost ZERO = new LayerCost(0, 0);

  public LayerCost plus(LayerCost other) {
    return new LayerCost(params + other.params, flops + other.flops);
  }
}
