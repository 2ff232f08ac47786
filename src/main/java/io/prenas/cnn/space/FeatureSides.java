package io.prenas.cnn.space;

/**
 * The side of the square feature map at every position of a CNN at one resolution. Every conv pads by k/2 with an
 * odd k, so its output side is ceil(in / stride) whatever the kernel: the sides depend only on the resolution and the
 * position, never on a choice, which is what makes params and FLOPs additive layer by layer (spec §8).
 */
public final class FeatureSides {

  private final int stemOut;
  private final int[] stageIn;
  private final int[] stageOut;

  private FeatureSides(int stemOut, int[] stageIn, int[] stageOut) {
    this.stemOut = stemOut;
    this.stageIn = stageIn;
    this.stageOut = stageOut;
  }

  public static FeatureSides of(CnnSpace space, int resolution) {
    int stemOut = convOut(resolution, space.stem().stride());
    int stages = space.stages().size();
    int[] in = new int[stages];
    int[] out = new int[stages];
    int side = stemOut;
    for (int s = 0; s < stages; s++) {
      in[s] = side;
      out[s] = convOut(side, space.stages().get(s).stride());
      side = out[s];
    }
    return new FeatureSides(stemOut, in, out);
  }

  /** Output side of a conv with odd kernel k, padding k/2: floor((in + 2(k/2) - k) / stride) + 1 = ceil(in / stride). */
  static int convOut(int in, int stride) {
    return (in + stride - 1) / stride;
  }

  /** Side after the stem conv. */
  public int stemOut() {
    return stemOut;
  }

  /** Input side of layer j of stage s: the stage input for j = 0, its output after the strided first layer. */
  public int layerIn(int stage, int layer) {
    return layer == 0 ? stageIn[stage] : stageOut[stage];
  }

  public int layerOut(int stage) {
    return stageOut[stage];
  }

  /** The head's side: the last stage's output. */
  public int headSide() {
    return stageOut[stageOut.length - 1];
  }
}
