package io.prenas.supernet;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;

/**
 * Resizes a batch of images (B, C, H, W) to another square side on the device, for a family whose architectures run at
 * several input sizes: the data pipeline serves the space's largest size and each step, gradient pass or evaluation
 * scales its batch to the architecture's own size. Bilinear, {@code align_corners=False}, no antialiasing:
 * {@code torch.nn.functional.interpolate(x, size=(s, s), mode='bilinear')} (PyTorch's kernel through DJL).
 */
public final class ImageResize {

  private ImageResize() {}

  /** The batch at {@code side} x {@code side}; the same array when it already has that size. */
  public static NDArray toSide(NDArray images, int side) {
    long[] s = images.getShape().getShape();
    if (s.length != 4) {
      throw new IllegalArgumentException("images have shape " + images.getShape() + ", expected [B, C, H, W]");
    }
    if (s[2] == side && s[3] == side) {
      return images;
    }
    NDArray nhwc = images.transpose(0, 2, 3, 1);
    return NDImageUtils.resize(nhwc, side, side, Image.Interpolation.BILINEAR).transpose(0, 3, 1, 2);
  }
}
