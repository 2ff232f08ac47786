package io.prenas.data;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF) into CHW floats in [0, 1] with the values Pillow sees: the decoded
 * samples themselves, without colour management (an embedded ICC profile is ignored, as Pillow's
 * {@code convert('RGB')} ignores it), alpha dropped, grey kept as one channel, palettes looked up, and CMYK JPEGs
 * converted with Pillow's formula where the JDK can decode them. EXIF orientation is ignored, as Pillow does
 * unless asked. 1- and 3-component JPEGs are decoded by OpenCV's libjpeg-turbo by default ({@link JpegDecoder}),
 * with the same sample values up to IDCT rounding (both libjpeg builds use the accurate integer IDCT).
 */
final class ImageDecoder {

  private ImageDecoder() {}

  /** Decodes with the configured JPEG decoder ({@link JpegDecoder#configured()}). */
  static Image decode(Path file) throws CorruptImageException {
    return decode(file, CONFIGURED);
  }

  private static final JpegDecoder CONFIGURED = JpegDecoder.configured();

  /**
   * Decodes with {@code jpeg} for 1- and 3-component JPEG files that end with their end-of-image marker; everything
   * else (other formats, CMYK JPEGs, truncated files) is decoded by ImageIO as below.
   */
  static Image decode(Path file, JpegDecoder jpeg) throws CorruptImageException {
    if (jpeg.effective() == JpegDecoder.OPENCV) {
      byte[] data;
      try {
        data = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new CorruptImageException(file.toString(), "cannot read file (" + e + ")");
      }
      int components = OpenCvJpeg.components(data);
      if ((components == 1 || components == 3) && OpenCvJpeg.hasEndMarker(data)) {
        return OpenCvJpeg.decode(data, components, file.toString());
      }
    }
    return decodeWithImageIo(file);
  }

  private static Image decodeWithImageIo(Path file) throws CorruptImageException {
    try {
      // Four-component (CMYK/YCCK) JPEGs are read as raw samples: the JDK either refuses them as a BufferedImage
      // or interprets them differently from libjpeg and Pillow.
      CmykJpeg cmyk = cmykJpeg(file);
      if (cmyk != null) {
        return fromCmyk(cmyk);
      }
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw new CorruptImageException(file.toString(), "not a readable image");
      }
      return toImage(img);
    } catch (CorruptImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptImageException(file.toString(), "cannot decode image (" + e.getMessage() + ")");
    }
  }

  /** Grey images keep one channel; everything else becomes RGB. */
  static Image toImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    Raster r = img.getRaster();
    boolean component = img.getColorModel() instanceof ComponentColorModel;
    int colours = img.getColorModel().getNumColorComponents();
    if (component && (colours == 1 || colours == 3)) {
      // Raw samples: band b is colour component b whatever the storage order (BGR, ABGR) or colour space.
      float scale = (1 << img.getColorModel().getComponentSize(0)) - 1;
      float[] px = new float[colours * h * w];
      for (int c = 0; c < colours; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            px[(c * h + y) * w + x] = r.getSample(x, y, c) / scale;
          }
        }
      }
      return new Image(colours, h, w, px);
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // palettes and packed sRGB pixels
    float[] px = new float[3 * h * w];
    int plane = h * w;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      px[i] = ((p >> 16) & 0xff) / 255f;
      px[plane + i] = ((p >> 8) & 0xff) / 255f;
      px[2 * plane + i] = (p & 0xff) / 255f;
    }
    return new Image(3, h, w, px);
  }

  /** A CMYK JPEG's raw samples and its Adobe marker's colour transform (-1 without a marker). */
  private record CmykJpeg(Raster raster, int adobeTransform) {}

  /** The raw samples of a four-component JPEG, or null for any other file. */
  private static CmykJpeg cmykJpeg(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        if (!reader.getFormatName().equalsIgnoreCase("jpeg")) {
          return null;
        }
        reader.setInput(in);
        Element header = (Element) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
        NodeList frame = header.getElementsByTagName("sof");
        if (frame.getLength() == 0 || frame.item(0).getChildNodes().getLength() != 4) {
          return null; // grey or three-component: the usual decoding is libjpeg's
        }
        return new CmykJpeg(reader.readRaster(0, null), adobeTransform(header));
      } finally {
        reader.dispose();
      }
    }
  }

  private static int adobeTransform(Element header) {
    NodeList adobe = header.getElementsByTagName("app14Adobe");
    if (adobe.getLength() == 0) {
      return -1;
    }
    Node transform = adobe.item(0).getAttributes().getNamedItem("transform");
    return transform == null ? 0 : Integer.parseInt(transform.getNodeValue());
  }

  /**
   * What libjpeg and Pillow make of a 4-channel JPEG. The JDK's raster is undecoded: a YCCK file (Adobe transform
   * 2) first gets libjpeg's YCbCr-to-RGB step. Files with an Adobe marker hold inverted inks (Pillow reads them as
   * {@code CMYK;I}); Pillow's {@code cmyk2rgb} then takes {@code nk - c * nk / 255} with nk = 255 - k, in integers
   * rounded as its {@code MULDIV255}.
   */
  private static Image fromCmyk(CmykJpeg jpeg) {
    Raster raster = jpeg.raster();
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = h * w;
    float[] px = new float[3 * plane];
    int[] s = new int[4];
    int[] ink = new int[4];
    boolean inverted = jpeg.adobeTransform() >= 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, s);
        if (jpeg.adobeTransform() == 2) {
          yccToRgb(s);
          // libjpeg outputs 255 - R, G, B as C, M, Y; inverted again below
          s[0] = 255 - s[0];
          s[1] = 255 - s[1];
          s[2] = 255 - s[2];
        }
        for (int c = 0; c < 4; c++) {
          ink[c] = inverted ? 255 - s[c] : s[c];
        }
        int nk = 255 - ink[3];
        for (int c = 0; c < 3; c++) {
          int t = ink[c] * nk + 128;
          int rgb = Math.max(0, Math.min(255, nk - (((t >> 8) + t) >> 8)));
          px[c * plane + y * w + x] = rgb / 255f;
        }
      }
    }
    return new Image(3, h, w, px);
  }

  /** libjpeg's fixed-point YCbCr to RGB (16 fraction bits, rounded), in place on the first three samples. */
  private static void yccToRgb(int[] s) {
    int luma = s[0];
    int cb = s[1] - 128;
    int cr = s[2] - 128;
    int r = luma + ((fix(1.40200) * cr + HALF) >> 16);
    int g = luma + ((-fix(0.34414) * cb - fix(0.71414) * cr + HALF) >> 16);
    int b = luma + ((fix(1.77200) * cb + HALF) >> 16);
    s[0] = Math.max(0, Math.min(255, r));
    s[1] = Math.max(0, Math.min(255, g));
    s[2] = Math.max(0, Math.min(255, b));
  }

  private static final int HALF = 1 << 15;

  private static int fix(double x) {
    return (int) (x * 65536 + 0.5);
  }
}
