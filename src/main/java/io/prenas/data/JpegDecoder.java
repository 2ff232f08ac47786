package io.prenas.data;

import java.util.Locale;

/**
 * Which library decodes JPEG files. {@link #OPENCV} (libjpeg-turbo, the library Pillow uses too) is the default and
 * faster than {@link #IMAGEIO} (the JDK's decoder; docs/bench/data.md). Other formats, 12-bit and four-component
 * (CMYK) JPEGs and files without an end-of-image marker always go through ImageIO, whose handling of them matches
 * Pillow's (see {@link ImageDecoder}). ImageIO is also the fallback when the OpenCV natives cannot be loaded.
 */
public enum JpegDecoder {
  OPENCV,
  IMAGEIO;

  /**
   * The JVM system property that chooses the decoder ({@code opencv} or {@code imageio}); set it in
   * {@code JAVA_TOOL_OPTIONS} to reach the engine child processes too. Not a Spring property: the decoder is chosen
   * per JVM, below the service.
   */
  public static final String PROPERTY = "prenas.jpeg-decoder";

  /** The decoder named by {@link #PROPERTY} (default {@link #OPENCV}). */
  public static JpegDecoder configured() {
    return parse(System.getProperty(PROPERTY, "opencv"));
  }

  /** {@code opencv} or {@code imageio}, any case. */
  public static JpegDecoder parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown JPEG decoder '" + name + "' (expected opencv or imageio)");
    }
  }

  /** The decoder that will actually run: {@link #IMAGEIO} when OpenCV was asked for but its natives did not load. */
  public JpegDecoder effective() {
    return this == OPENCV && !OpenCvJpeg.available() ? IMAGEIO : this;
  }

  /** Why the OpenCV natives did not load, or {@code null} when they did. */
  public static String openCvUnavailableReason() {
    return OpenCvJpeg.unavailableReason();
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
