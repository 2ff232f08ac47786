package io.prenas.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The reference's ImageNet evaluation preprocessing of one image file (the {@code imagenet-eval} preset of the
 * {@code preprocess} command): decoded as Pillow decodes it, converted to RGB, shorter side to
 * {@code int(256/224 * size)} with Pillow's bicubic filter, center crop, / 255, ImageNet mean and std.
 */
public final class ImagenetEval {

  private ImagenetEval() {}

  /**
   * The {@code 3 x size x size} float32 values (channel-major) of an image file.
   *
   * @throws CorruptImageException when the file cannot be decoded
   */
  public static float[] pixels(Path file, int size) throws IOException {
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + size);
    }
    float[] out = new float[3 * size * size];
    ReferenceEvalTransform.apply(ImageDecoder.decode(file), size, TransformSpec.IMAGENET_MEAN,
        TransformSpec.IMAGENET_STD, out, 0);
    return out;
  }
}
