package io.prenas.data;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * JPEG decoding with OpenCV's bundled libjpeg-turbo (default settings: accurate integer IDCT, fancy chroma upsampling,
 * as Pillow decodes). EXIF orientation is ignored, as Pillow ignores it unless asked. The natives are loaded once; a
 * platform without them (or without a writable temp folder to extract them into) falls back to ImageIO.
 */
final class OpenCvJpeg {

  private static final String LOAD_FAILURE = load();

  private OpenCvJpeg() {}

  private static String load() {
    try {
      // loadLocally extracts the jar's native library for this OS and CPU into a temp folder and System.load()s
      // it; it needs no network. (loadShared rewrites java.library.path by reflection, which Java 17 forbids.)
      nu.pattern.OpenCV.loadLocally();
      return null;
    } catch (Throwable t) { // UnsatisfiedLinkError, UnsupportedPlatformException, an unwritable temp folder
      System.getLogger(OpenCvJpeg.class.getName()).log(System.Logger.Level.WARNING,
          "OpenCV natives not loaded, JPEG decoding falls back to ImageIO: " + t);
      return String.valueOf(t);
    }
  }

  static boolean available() {
    return LOAD_FAILURE == null;
  }

  static String unavailableReason() {
    return LOAD_FAILURE;
  }

  /**
   * The number of colour components in the JPEG's frame header (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK), or 0 when the data
   * is not a JPEG, has no frame header or is not 8 bits per sample.
   */
  static int components(byte[] data) {
    if (data.length < 4 || (data[0] & 0xff) != 0xFF || (data[1] & 0xff) != 0xD8) {
      return 0;
    }
    int i = 2;
    while (i + 4 <= data.length) {
      if ((data[i] & 0xff) != 0xFF) {
        return 0;
      }
      int marker = data[i + 1] & 0xff;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length field
        i += 2;
        continue;
      }
      int length = ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
      boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame) {
        // FF Cn, length(2), precision(1), height(2), width(2), Nf. 12-bit files are left to ImageIO (0).
        return i + 9 < data.length && (data[i + 4] & 0xff) == 8 ? data[i + 9] & 0xff : 0;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 0; // scan or end before any frame header
      }
      i += 2 + length;
    }
    return 0;
  }

  /**
   * Whether the data ends with the end-of-image marker (trailing padding after it allowed). libjpeg-turbo decodes a
   * truncated file by filling the rest with grey and only warns; Pillow refuses it, so such files take the ImageIO
   * path and its error handling instead.
   */
  static boolean hasEndMarker(byte[] data) {
    int from = Math.max(1, data.length - 4096);
    for (int i = data.length - 1; i >= from; i--) {
      if ((data[i] & 0xff) == 0xD9 && (data[i - 1] & 0xff) == 0xFF) {
        return true;
      }
    }
    return false;
  }

  /** Decodes a 1- or 3-component JPEG to CHW floats in [0, 1], RGB order (OpenCV's is BGR). */
  static Image decode(byte[] data, int components, String file) throws CorruptImageException {
    int flags = (components == 1 ? Imgcodecs.IMREAD_GRAYSCALE : Imgcodecs.IMREAD_COLOR)
        | Imgcodecs.IMREAD_IGNORE_ORIENTATION;
    MatOfByte encoded = new MatOfByte(data);
    Mat mat = Imgcodecs.imdecode(encoded, flags);
    try {
      if (mat.empty() || mat.type() != CvType.makeType(CvType.CV_8U, components)) {
        throw new CorruptImageException(file, "cannot decode JPEG");
      }
      int h = mat.rows();
      int w = mat.cols();
      byte[] interleaved = new byte[h * w * components];
      mat.get(0, 0, interleaved);
      int plane = h * w;
      float[] px = new float[components * plane];
      if (components == 1) {
        for (int i = 0; i < plane; i++) {
          px[i] = LEVELS[interleaved[i] & 0xff];
        }
      } else {
        for (int i = 0, j = 0; i < plane; i++, j += 3) {
          px[i] = LEVELS[interleaved[j + 2] & 0xff];
          px[plane + i] = LEVELS[interleaved[j + 1] & 0xff];
          px[2 * plane + i] = LEVELS[interleaved[j] & 0xff];
        }
      }
      return new Image(components, h, w, px);
    } finally {
      mat.release();
      encoded.release();
    }
  }

  /** v / 255f for every byte value: the same floats ImageIO's path produces. */
  private static final float[] LEVELS = new float[256];

  static {
    float scale = 255f;
    for (int v = 0; v < 256; v++) {
      LEVELS[v] = v / scale;
    }
  }
}
