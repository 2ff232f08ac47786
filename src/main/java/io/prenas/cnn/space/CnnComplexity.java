package io.prenas.cnn.space;

/**
 * Exact parameter and FLOPs counts of spec §7, part by part. Params are the sliced parameter values (conv weights, SE
 * conv biases, BN weight and bias, the classifier); FLOPs are multiply-accumulates of the convs (SE at 1x1) and the
 * classifier. Each part depends only on the resolution, its position and its own widths and kernel, so a network is
 * the sum of its parts; {@link CnnResourceRange} relies on that.
 */
public final class CnnComplexity {

  private final CnnSpace space;
  private final FeatureSides sides;

  private CnnComplexity(CnnSpace space, int resolution) {
    this.space = space;
    this.sides = FeatureSides.of(space, resolution);
  }

  /** The counting of a space at one resolution. */
  public static CnnComplexity at(CnnSpace space, int resolution) {
    return new CnnComplexity(space, resolution);
  }

  /** Params and FLOPs of a whole architecture. */
  public static LayerCost of(CnnSpace space, CnnArchitecture arch) {
    CnnComplexity c = at(space, arch.resolution());
    LayerCost total = c.stem(arch.stem());
    int prev = arch.stem();
    for (int s = 0; s < arch.stages().size(); s++) {
      StageConfig stage = arch.stage(s);
      for (int j = 0; j < stage.depth(); j++) {
        total = total.plus(c.layer(s, j, j == 0 ? prev : stage.width(), stage.width(), stage.kernel(j)));
      }
      prev = stage.width();
    }
    return total.plus(c.head(prev, arch.head()));
  }

  /** The SE bottleneck of a block with input width c: 0.25 c to the nearest multiple of 8, halves up, at least 8. */
  public static int seWidth(int cIn) {
    return Math.max(8, 8 * ((cIn + 16) / 32));
  }

  /** Stem conv + BN: {@code P = c0 IN ks^2 + 2 c0}, {@code F = ks^2 IN c0 H1^2}. */
  public LayerCost stem(int width) {
    long k2 = (long) space.stem().kernel() * space.stem().kernel();
    long in = space.model().inChans();
    return new LayerCost(width * in * k2 + 2L * width, k2 * in * width * square(sides.stemOut()));
  }

  /**
   * One MBConv layer (slot j of stage s) with input width cIn, output width cOut and kernel k: optional expand conv
   * (at the input side), depthwise conv, optional SE (at 1x1), projection; each conv with its BN.
   */
  public LayerCost layer(int stage, int j, int cIn, int cOut, int k) {
    StageChoices choices = space.stages().get(stage);
    long h = (long) choices.expand() * cIn;
    long hIn2 = square(sides.layerIn(stage, j));
    long hOut2 = square(sides.layerOut(stage));
    long params = 0;
    long flops = 0;
    if (choices.expand() != 1) {
      params += cIn * h + 2 * h;
      flops += cIn * h * hIn2;
    }
    params += h * k * k + 2 * h;
    flops += (long) k * k * h * hOut2;
    if (space.model().se()) {
      long e = seWidth(cIn);
      params += 2 * h * e + e + h;
      flops += 2 * h * e;
    }
    params += h * cOut + 2L * cOut;
    flops += h * cOut * hOut2;
    return new LayerCost(params, flops);
  }

  /** Head 1x1 conv + BN from the last stage's width cL to H, then the classifier {@code Linear(H, classes)}. */
  public LayerCost head(int cL, int width) {
    long classes = space.model().numClasses();
    LayerCost conv = new LayerCost((long) cL * width + 2L * width, (long) cL * width * square(sides.headSide()));
    LayerCost classifier = new LayerCost(width * classes + classes, width * classes);
    return conv.plus(classifier);
  }

  private static long square(int side) {
    return (long) side * side;
  }
}
