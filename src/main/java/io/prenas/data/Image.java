package io.prenas.data;

/**
 * A decoded image: {@code channels x height x width} floats in [0, 1], channel-major (CHW), the layout the
 * model's input tensor uses.
 */
public record Image(int channels, int height, int width, float[] pixels) {

  public Image {
    if (pixels.length != channels * height * width) {
      throw new IllegalArgumentException("pixel count " + pixels.length + " != " + channels + "x" + height + "x" + width);
    }
  }

  public float at(int c, int y, int x) {
    return pixels[(c * height + y) * width + x];
  }
}
