package io.prenas.data;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} on 8-bit planes, reproduced step for step so that evaluation input
 * matches what the reference's torchvision pipeline feeds its models: a separable convolution, horizontal pass
 * first, each pass rounded back to 8 bits; the cubic kernel (a = -0.5) is stretched by the reduction factor when
 * shrinking (antialiasing), normalised per output pixel, and applied in 22-bit fixed point with rounding.
 */
final class PillowBicubic {

  /** Pillow's {@code PRECISION_BITS}: 32 bits less 8 for the value and 2 for overshoot of the kernel. */
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private PillowBicubic() {}

  /**
   * Resizes {@code channels} planes of {@code inHeight x inWidth} values 0..255 (channel-major) to
   * {@code outHeight x outWidth}.
   */
  static int[] resize(int[] planes, int channels, int inHeight, int inWidth, int outHeight, int outWidth) {
    int[] current = planes;
    int width = inWidth;
    // Pillow skips a pass whose size does not change (its kernel would be the identity anyway).
    if (outWidth != inWidth) {
      current = horizontal(current, channels, inHeight, inWidth, Kernel.of(inWidth, outWidth));
      width = outWidth;
    }
    if (outHeight != inHeight) {
      current = vertical(current, channels, inHeight, width, Kernel.of(inHeight, outHeight));
    }
    return current;
  }

  private static int[] horizontal(int[] in, int channels, int height, int inWidth, Kernel k) {
    int outWidth = k.outSize;
    int[] out = new int[channels * height * outWidth];
    for (int row = 0; row < channels * height; row++) {
      int inBase = row * inWidth;
      int outBase = row * outWidth;
      for (int x = 0; x < outWidth; x++) {
        int first = k.first[x];
        int weights = x * k.maxTaps;
        int sum = 1 << (PRECISION_BITS - 1);
        for (int t = 0; t < k.taps[x]; t++) {
          sum += in[inBase + first + t] * k.weights[weights + t];
        }
        out[outBase + x] = clip8(sum);
      }
    }
    return out;
  }

  private static int[] vertical(int[] in, int channels, int inHeight, int width, Kernel k) {
    int outHeight = k.outSize;
    int[] out = new int[channels * outHeight * width];
    for (int c = 0; c < channels; c++) {
      int inPlane = c * inHeight * width;
      int outPlane = c * outHeight * width;
      for (int y = 0; y < outHeight; y++) {
        int first = k.first[y];
        int weights = y * k.maxTaps;
        for (int x = 0; x < width; x++) {
          int sum = 1 << (PRECISION_BITS - 1);
          for (int t = 0; t < k.taps[y]; t++) {
            sum += in[inPlane + (first + t) * width + x] * k.weights[weights + t];
          }
          out[outPlane + y * width + x] = clip8(sum);
        }
      }
    }
    return out;
  }

  /** The fixed-point sum back to 8 bits (an arithmetic shift, so negative overshoot clips to 0). */
  private static int clip8(int sum) {
    return Math.max(0, Math.min(255, sum >> PRECISION_BITS));
  }

  /** The cubic convolution kernel with a = -0.5 (Keys), support 2. */
  static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  /** Per output pixel: the first input pixel, the number of taps and their fixed-point weights. */
  private static final class Kernel {
    final int outSize;
    final int maxTaps;
    final int[] first;
    final int[] taps;
    final int[] weights;

    private Kernel(int outSize, int maxTaps) {
      this.outSize = outSize;
      this.maxTaps = maxTaps;
      this.first = new int[outSize];
      this.taps = new int[outSize];
      this.weights = new int[outSize * maxTaps];
    }

    static Kernel of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(1.0, scale); // stretch the kernel only when shrinking
      double support = SUPPORT * filterScale;
      // Pillow multiplies by the reciprocal; dividing instead can differ in the last bit.
      double inverseScale = 1.0 / filterScale;
      Kernel k = new Kernel(outSize, (int) Math.ceil(support) * 2 + 1);
      double[] w = new double[k.maxTaps];
      for (int i = 0; i < outSize; i++) {
        double center = (i + 0.5) * scale;
        // The casts truncate toward zero, as C's do; the bounds are then clamped to the image.
        int min = Math.max(0, (int) (center - support + 0.5));
        int max = Math.min(inSize, (int) (center + support + 0.5));
        int n = max - min;
        double total = 0.0;
        for (int t = 0; t < n; t++) {
          w[t] = cubic((t + min - center + 0.5) * inverseScale);
          total += w[t];
        }
        k.first[i] = min;
        k.taps[i] = n;
        for (int t = 0; t < n; t++) {
          double normalised = total != 0.0 ? w[t] / total : w[t];
          double scaled = normalised * (1 << PRECISION_BITS);
          k.weights[i * k.maxTaps + t] = (int) (normalised < 0 ? scaled - 0.5 : scaled + 0.5);
        }
      }
      return k;
    }
  }
}
