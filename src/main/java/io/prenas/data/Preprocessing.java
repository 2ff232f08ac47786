package io.prenas.data;

import java.util.List;

/**
 * What a client must do to an image file so that a published model sees what its evaluation saw: the evaluation
 * transform of the server ({@link TransformSpec}, adapted to the evaluated images by {@link TransformSpec#forSource})
 * written out as plain values. Applied in this order: decode to {@code channelOrder} with 8-bit values, {@code resize},
 * {@code crop} (if any), scale to {@code valueRange} ({@code v / 255}), then {@code (v - mean[c]) / std[c]} per
 * channel; the result is float32 laid out {@code input} = [C, H, W] (a batch adds a leading N).
 *
 * @param input the model's input shape [C, H, W]
 * @param channelOrder {@code RGB} (3 channels, grey files repeated) or {@code L} (1 channel, colour files to grey by
 *     {@code L = 0.299 R + 0.587 G + 0.114 B})
 * @param valueRange the range of pixel values after scaling and before normalisation
 * @param resize how the image is resized
 * @param crop the crop after the resize, or {@code null} when there is none
 * @param interpolation {@code bilinear} or {@code bicubic}, see {@link #description}
 * @param mean per-channel mean subtracted
 * @param std per-channel standard deviation divided by
 * @param description the same recipe in words, with the library call that reproduces it exactly
 */
public record Preprocessing(List<Integer> input, String channelOrder, List<Double> valueRange, Resize resize,
    Crop crop, String interpolation, List<Double> mean, List<Double> std, String description) {

  /**
   * A resize.
   *
   * @param rule {@code stretch}: both sides to {@code size} (aspect ratio not kept; no change when the image is
   *     already that size); {@code shorter-side}: the shorter side to {@code size}, the longer one to
   *     {@code int(size * long / short)}
   * @param size the target side in pixels
   */
  public record Resize(String rule, int size) {}

  /**
   * A crop.
   *
   * @param rule {@code center}: offsets {@code round((H - size) / 2)} and {@code round((W - size) / 2)}, ties to even
   * @param size the side of the square crop
   */
  public record Crop(String rule, int size) {}
}
