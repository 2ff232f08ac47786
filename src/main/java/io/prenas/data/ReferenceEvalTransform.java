package io.prenas.data;

/**
 * The reference's evaluation preprocessing for input size S (PreNAS {@code build_transform(is_train=False)}, as
 * timm and DeiT define it): shorter side resized to {@code int(256/224 * S)} with Pillow's bicubic filter, center
 * crop S x S, values / 255, then {@code (v - mean) / std} per channel, all in float32 as torchvision computes it.
 */
final class ReferenceEvalTransform {

  /** The input size from which evaluation of ImageFolder data follows the reference by default. */
  static final int MIN_SIZE = 224;

  private ReferenceEvalTransform() {}

  /** The shorter side before cropping: {@code int((256 / 224) * size)}, evaluated in double as Python does. */
  static int resizeSize(int size) {
    return (int) ((256.0 / 224.0) * size);
  }

  /**
   * torchvision's {@code Resize(int)}: the shorter side becomes {@code shorter}, the longer one
   * {@code int(shorter * long / short)}; returns {height, width}.
   */
  static int[] resizedShape(int height, int width, int shorter) {
    if (width <= height) {
      return new int[] {(int) ((double) shorter * height / width), shorter};
    }
    return new int[] {shorter, (int) ((double) shorter * width / height)};
  }

  /**
   * Writes the transformed image ({@code 3 x size x size} floats) into {@code out} at {@code offset}.
   *
   * @param rgb an RGB image (grey is repeated to 3 channels first, as Pillow's {@code convert('RGB')} does)
   */
  static void apply(Image rgb, int size, float[] mean, float[] std, float[] out, int offset) {
    int[] planes = to8Bit(rgb);
    int[] shape = resizedShape(rgb.height(), rgb.width(), resizeSize(size));
    int height = shape[0];
    int width = shape[1];
    int[] resized = PillowBicubic.resize(planes, 3, rgb.height(), rgb.width(), height, width);
    // torchvision's CenterCrop: int(round((H - S) / 2)), Python's round ties to even.
    int top = (int) Math.rint((height - size) / 2.0);
    int left = (int) Math.rint((width - size) / 2.0);
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = std[c];
      for (int y = 0; y < size; y++) {
        int in = (c * height + top + y) * width + left;
        int o = offset + (c * size + y) * size;
        for (int x = 0; x < size; x++) {
          float v = resized[in + x] / 255f;
          out[o + x] = (v - m) / s;
        }
      }
    }
  }

  /** Back to the 8-bit values the image was decoded from (exact for 8-bit files), grey repeated to RGB. */
  private static int[] to8Bit(Image img) {
    if (img.channels() != 1 && img.channels() != 3) {
      throw new IllegalArgumentException("expected a grey or RGB image, got " + img.channels() + " channels");
    }
    int plane = img.height() * img.width();
    int[] out = new int[3 * plane];
    float[] px = img.pixels();
    for (int c = 0; c < 3; c++) {
      int src = img.channels() == 1 ? 0 : c * plane;
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = Math.round(px[src + i] * 255f);
      }
    }
    return out;
  }
}
