package io.prenas.data;

import java.util.List;
import java.util.Random;

/**
 * How an image becomes model input: channel conversion (grey to RGB by repetition, RGB to grey by luminance),
 * bilinear resize to {@code size x size}, for training a random crop after zero {@code padding} and a random
 * horizontal flip, then per-channel normalisation {@code (v - mean) / std}.
 *
 * <p>With {@link Resize#REFERENCE_EVAL} (evaluation of ImageFolder photos at 224 and above, chosen by
 * {@link #forSource}), the image instead goes through the reference's evaluation preprocessing: shorter side to
 * {@code int(256/224 * size)} with Pillow's bicubic filter, center crop, normalisation.
 */
public record TransformSpec(int channels, int size, boolean train, int padding, boolean flip, float[] mean,
    float[] std, Resize resize) {

  /** How the image is brought to the input size. */
  public enum Resize {
    /** Bilinear to {@code size x size}, aspect ratio not kept (small fixed-size data: IDX, thumbnails). */
    STRETCH,
    /** The reference's evaluation preprocessing (Pillow bicubic on the shorter side, center crop). */
    REFERENCE_EVAL
  }

  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  public TransformSpec {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (size <= 0 || padding < 0) {
      throw new IllegalArgumentException("invalid size " + size + " or padding " + padding);
    }
    if (mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("mean and std need " + channels + " values");
    }
    java.util.Objects.requireNonNull(resize, "resize");
    if (resize == Resize.REFERENCE_EVAL && (train || channels != 3)) {
      throw new IllegalArgumentException("the reference's evaluation preprocessing is for RGB evaluation only");
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** A spec that stretches (see {@link Resize#STRETCH}). */
  public TransformSpec(int channels, int size, boolean train, int padding, boolean flip, float[] mean,
      float[] std) {
    this(channels, size, train, padding, flip, mean, std, Resize.STRETCH);
  }

  /** ImageNet normalisation for 3 channels, mean 0.5 / std 0.5 for grey input. */
  public static TransformSpec of(int channels, int size, boolean train) {
    float[] mean = channels == 3 ? IMAGENET_MEAN : new float[] {0.5f};
    float[] std = channels == 3 ? IMAGENET_STD : new float[] {0.5f};
    return new TransformSpec(channels, size, train, train ? Math.max(1, size / 8) : 0, train, mean, std);
  }

  /**
   * The spec the evaluator starts from for a model of {@code channels} x {@code size} x {@code size} input: the
   * training spec's channels, size and normalisation, without padding, crop or flip. {@link BatchLoader} then adapts
   * it to the evaluated images ({@link #forSource}); a model card describes that result ({@link #preprocessing}).
   */
  public static TransformSpec evaluation(int channels, int size) {
    return of(channels, size, false);
  }

  /** The evaluation counterpart of this spec (no padding, crop or flip). */
  public TransformSpec forEvaluation() {
    return new TransformSpec(channels, size, false, 0, false, mean, std, resize);
  }

  /**
   * The spec to use for a source: evaluation of RGB photos that come in their own sizes (an ImageFolder) at an
   * input size of 224 and above follows the reference's preprocessing, as the reference evaluates its models;
   * training, small inputs and fixed-size data (IDX) keep this spec.
   */
  public TransformSpec forSource(ImageSource source) {
    return forSource(source.nativeSizes());
  }

  /** {@link #forSource(ImageSource)} for a source whose {@link ImageSource#nativeSizes()} is {@code nativeSizes}. */
  public TransformSpec forSource(boolean nativeSizes) {
    boolean reference = !train && channels == 3 && size >= ReferenceEvalTransform.MIN_SIZE && nativeSizes;
    return reference ? new TransformSpec(channels, size, false, 0, false, mean, std, Resize.REFERENCE_EVAL) : this;
  }

  /** This evaluation transform as a client must reproduce it (a model card's {@code preprocessing}). */
  public Preprocessing preprocessing() {
    if (train) {
      throw new IllegalStateException("a training transform (random crop and flip) is not a model's preprocessing");
    }
    List<Double> m = decimals(mean);
    List<Double> s = decimals(std);
    String order = channels == 3 ? "RGB" : "L";
    String decode = channels == 3 ? "Decode to 8-bit RGB (a grey file repeated to 3 channels)"
        : "Decode to grey (a colour file as L = 0.299 R + 0.587 G + 0.114 B on its [0, 1] values, unrounded)";
    String norm = "normalise (v - mean[c]) / std[c] with mean " + m + " and std " + s + "; float32 [" + channels
        + ", " + size + ", " + size + "].";
    if (resize == Resize.REFERENCE_EVAL) {
      int shorter = ReferenceEvalTransform.resizeSize(size);
      return new Preprocessing(List.of(channels, size, size), order, List.of(0.0, 1.0),
          new Preprocessing.Resize("shorter-side", shorter), new Preprocessing.Crop("center", size), "bicubic", m, s,
          decode + ", resize the shorter side to " + shorter + " with Pillow's bicubic filter (the longer side to "
              + "int(" + shorter + " * long / short)), center-crop " + size + " x " + size
              + ", scale v / 255 to [0, 1], " + norm + " Exactly torchvision's Resize(" + shorter
              + ", InterpolationMode.BICUBIC) on a PIL image, CenterCrop(" + size + "), ToTensor(), Normalize(mean, "
              + "std).");
    }
    return new Preprocessing(List.of(channels, size, size), order, List.of(0.0, 1.0),
        new Preprocessing.Resize("stretch", size), null, "bilinear", m, s,
        decode + ", scale v / 255 to [0, 1], resize to " + size + " x " + size + " bilinearly (half-pixel centres, "
            + "no antialiasing; nothing to do when the image is already " + size + " x " + size + "), " + norm
            + " Exactly torch.nn.functional.interpolate(x, size=(" + size + ", " + size + "), mode='bilinear', "
            + "align_corners=False, antialias=False) on the [0, 1] float image.");
  }

  /** Float constants as the decimals they were written as (0.485f, not 0.48500001430511475). */
  private static List<Double> decimals(float[] values) {
    List<Double> out = new java.util.ArrayList<>();
    for (float v : values) {
      out.add(Double.parseDouble(Float.toString(v)));
    }
    return List.copyOf(out);
  }

  /** Writes the transformed image into {@code out} at {@code offset} ({@code channels*size*size} floats). */
  void apply(Image in, Random rng, float[] out, int offset) {
    if (resize == Resize.REFERENCE_EVAL) {
      ReferenceEvalTransform.apply(in, size, mean, std, out, offset);
      return;
    }
    Image img = resize(convertChannels(in), size + 2 * padding, padding);
    int dy = 0;
    int dx = 0;
    if (train && padding > 0) {
      dy = rng.nextInt(2 * padding + 1);
      dx = rng.nextInt(2 * padding + 1);
    } else {
      dy = padding;
      dx = padding;
    }
    boolean mirror = train && flip && rng.nextBoolean();
    int full = img.width();
    for (int c = 0; c < channels; c++) {
      float m = mean[c];
      float s = std[c];
      for (int y = 0; y < size; y++) {
        int rowBase = (c * img.height() + y + dy) * full;
        int outBase = offset + (c * size + y) * size;
        for (int x = 0; x < size; x++) {
          int sx = mirror ? size - 1 - x : x;
          out[outBase + x] = (img.pixels()[rowBase + sx + dx] - m) / s;
        }
      }
    }
  }

  private Image convertChannels(Image in) {
    if (in.channels() == channels) {
      return in;
    }
    int plane = in.height() * in.width();
    float[] px = new float[channels * plane];
    if (channels == 3) {
      for (int c = 0; c < 3; c++) {
        System.arraycopy(in.pixels(), 0, px, c * plane, plane);
      }
    } else {
      for (int i = 0; i < plane; i++) {
        px[i] = 0.299f * in.pixels()[i] + 0.587f * in.pixels()[plane + i] + 0.114f * in.pixels()[2 * plane + i];
      }
    }
    return new Image(channels, in.height(), in.width(), px);
  }

  /** Bilinear resize (half-pixel centres) of the image to {@code inner = out - 2*pad}, placed in a zero border. */
  private static Image resize(Image in, int out, int pad) {
    int inner = out - 2 * pad;
    if (pad == 0 && in.height() == inner && in.width() == inner) {
      return in;
    }
    float[] px = new float[in.channels() * out * out];
    float sy = (float) in.height() / inner;
    float sx = (float) in.width() / inner;
    for (int y = 0; y < inner; y++) {
      float fy = Math.max(0, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, in.height() - 1);
      int y1 = Math.min(y0 + 1, in.height() - 1);
      float wy = fy - y0;
      for (int x = 0; x < inner; x++) {
        float fx = Math.max(0, (x + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, in.width() - 1);
        int x1 = Math.min(x0 + 1, in.width() - 1);
        float wx = fx - x0;
        for (int c = 0; c < in.channels(); c++) {
          float top = in.at(c, y0, x0) * (1 - wx) + in.at(c, y0, x1) * wx;
          float bottom = in.at(c, y1, x0) * (1 - wx) + in.at(c, y1, x1) * wx;
          px[(c * out + y + pad) * out + x + pad] = top * (1 - wy) + bottom * wy;
        }
      }
    }
    return new Image(in.channels(), out, out, px);
  }
}
