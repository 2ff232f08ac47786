package io.prenas.training;

import io.prenas.data.Batch;
import java.util.SplittableRandom;

/**
 * Mixup and CutMix with label smoothing (timm {@code Mixup}), producing soft targets. We mix per batch (one
 * lambda, each image with the image at the mirrored position, timm's {@code mode='batch'}); the reference trains
 * with {@code mode='elem'} (one lambda per image). Both keep the expected target mixing; per-batch is cheaper.
 *
 * @param mixupAlpha Beta(alpha, alpha) for mixup; 0 disables mixup
 * @param cutmixAlpha Beta(alpha, alpha) for CutMix; 0 disables CutMix
 * @param prob probability of mixing a batch at all
 * @param switchProb probability of CutMix instead of mixup when both are enabled
 * @param smoothing label smoothing of the targets
 */
public record MixupCutmix(double mixupAlpha, double cutmixAlpha, double prob, double switchProb, double smoothing) {

  /** Only label smoothing, no mixing. */
  public static MixupCutmix none(double smoothing) {
    return new MixupCutmix(0, 0, 0, 0, smoothing);
  }

  /** The reference's setting (mixup 0.8, CutMix 1.0, prob 1, switch 0.5, smoothing 0.1). */
  public static MixupCutmix reference() {
    return new MixupCutmix(0.8, 1.0, 1.0, 0.5, 0.1);
  }

  /** The mixed images (in place in {@code batch.x()}) and their soft targets ({@code count x classes}). */
  public float[] apply(Batch batch, int numClasses, SplittableRandom rng) {
    int n = batch.count();
    double lam = 1.0;
    boolean enabled = (mixupAlpha > 0 || cutmixAlpha > 0) && rng.nextDouble() < prob && n > 1;
    if (enabled) {
      boolean cutmix = cutmixAlpha > 0 && (mixupAlpha <= 0 || rng.nextDouble() < switchProb);
      if (cutmix) {
        lam = cutmix(batch, beta(rng, cutmixAlpha), rng);
      } else {
        lam = beta(rng, mixupAlpha);
        mixup(batch, (float) lam);
      }
    }
    return targets(batch.y(), n, numClasses, lam);
  }

  private float[] targets(long[] y, int n, int classes, double lam) {
    double off = smoothing / classes;
    double on = 1 - smoothing + off;
    float[] t = new float[n * classes];
    for (int i = 0; i < n; i++) {
      int a = (int) y[i];
      int b = (int) y[n - 1 - i];
      for (int c = 0; c < classes; c++) {
        double ya = c == a ? on : off;
        double yb = c == b ? on : off;
        t[i * classes + c] = (float) (lam * ya + (1 - lam) * yb);
      }
    }
    return t;
  }

  private static void mixup(Batch batch, float lam) {
    int n = batch.count();
    int per = batch.x().length / n;
    float[] x = batch.x();
    float[] copy = x.clone();
    for (int i = 0; i < n; i++) {
      int j = n - 1 - i;
      for (int k = 0; k < per; k++) {
        x[i * per + k] = lam * copy[i * per + k] + (1 - lam) * copy[j * per + k];
      }
    }
  }

  /** Pastes a box of the mirrored image; returns lambda corrected to the box's true area. */
  private static double cutmix(Batch batch, double lam, SplittableRandom rng) {
    int n = batch.count();
    int s = batch.size();
    int c = batch.channels();
    double cut = Math.sqrt(1 - lam);
    int ch = (int) (s * cut);
    int cw = (int) (s * cut);
    int cy = rng.nextInt(s);
    int cx = rng.nextInt(s);
    int y0 = Math.max(0, cy - ch / 2);
    int y1 = Math.min(s, cy + ch / 2);
    int x0 = Math.max(0, cx - cw / 2);
    int x1 = Math.min(s, cx + cw / 2);
    float[] x = batch.x();
    float[] copy = x.clone();
    int per = c * s * s;
    for (int i = 0; i < n; i++) {
      int j = n - 1 - i;
      for (int k = 0; k < c; k++) {
        for (int yy = y0; yy < y1; yy++) {
          int base = k * s * s + yy * s;
          System.arraycopy(copy, j * per + base + x0, x, i * per + base + x0, x1 - x0);
        }
      }
    }
    return 1 - (double) (y1 - y0) * (x1 - x0) / (s * s);
  }

  static double beta(SplittableRandom rng, double alpha) {
    double a = gamma(rng, alpha);
    double b = gamma(rng, alpha);
    return a + b == 0 ? 0.5 : a / (a + b);
  }

  /** Marsaglia-Tsang gamma(shape, 1); shapes below 1 use the boost {@code g(a+1) * u^(1/a)}. */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
