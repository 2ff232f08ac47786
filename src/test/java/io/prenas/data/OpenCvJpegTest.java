package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JPEG decoding with OpenCV (libjpeg-turbo) against the ImageIO path it replaces. */
class OpenCvJpegTest {

  @TempDir
  Path tmp;

  @Test
  void openCvNativesLoadOnThisPlatform() {
    assertThat(JpegDecoder.openCvUnavailableReason()).isNull();
    assertThat(JpegDecoder.OPENCV.effective()).isEqualTo(JpegDecoder.OPENCV);
    assertThat(JpegDecoder.configured()).isEqualTo(JpegDecoder.OPENCV);
  }

  @Test
  void photoLikeJpegsDecodeToImageIosPixelsWithinIdctRounding() throws IOException {
    JpegFolderMaker.make(tmp, 6, 2, 7);
    for (Path file : jpegs(tmp)) {
      Image cv = ImageDecoder.decode(file, JpegDecoder.OPENCV);
      Image io = ImageDecoder.decode(file, JpegDecoder.IMAGEIO);
      assertThat(cv.channels()).isEqualTo(3);
      assertThat(List.of(cv.height(), cv.width())).isEqualTo(List.of(io.height(), io.width()));
      // Both are libjpeg with the accurate integer IDCT and fancy upsampling; they differ by a level here and
      // there (rounding in the colour conversion), nowhere by much.
      assertThat(meanAbsDiff(cv.pixels(), io.pixels()) * 255).as(file.toString()).isLessThan(1.0);
      assertThat(maxAbsDiff(cv.pixels(), io.pixels()) * 255).as(file.toString()).isLessThan(8.0);
    }
  }

  @Test
  void channelsComeOutInRgbOrder() throws IOException {
    int[][] colours = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    for (int[] rgb : colours) {
      BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 48; x++) {
          img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
        }
      }
      Path file = tmp.resolve("c" + Arrays.toString(rgb).hashCode() + ".jpg");
      ImageIO.write(img, "jpg", file.toFile());
      Image cv = ImageDecoder.decode(file, JpegDecoder.OPENCV);
      for (int c = 0; c < 3; c++) {
        assertThat(cv.at(c, 16, 24) * 255).as("channel %d of %s", c, Arrays.toString(rgb))
            .isCloseTo(rgb[c], org.assertj.core.data.Offset.offset(6f));
      }
    }
  }

  @Test
  void greyJpegsStayOneChannel() throws IOException {
    BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    Random rng = new Random(3);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        grey.getRaster().setSample(x, y, 0, (x * 6 + rng.nextInt(20)) & 0xff);
      }
    }
    Path file = tmp.resolve("grey.jpg");
    ImageIO.write(grey, "jpg", file.toFile());
    byte[] data = Files.readAllBytes(file);
    assertThat(OpenCvJpeg.components(data)).isEqualTo(1);
    assertThat(OpenCvJpeg.components(withPrecision(data, 12))).as("12-bit: left to ImageIO").isZero();
    Image cv = ImageDecoder.decode(file, JpegDecoder.OPENCV);
    Image io = ImageDecoder.decode(file, JpegDecoder.IMAGEIO);
    assertThat(cv.channels()).isEqualTo(1);
    assertThat(maxAbsDiff(cv.pixels(), io.pixels()) * 255).isLessThanOrEqualTo(1.0);
  }

  @Test
  void cmykJpegsAndPngsTakeTheImageIoPathUnchanged() throws IOException {
    BufferedImage rgb = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(3, 4, 0x00ff8040);
    Path png = tmp.resolve("a.png");
    ImageIO.write(rgb, "png", png.toFile());
    assertThat(ImageDecoder.decode(png, JpegDecoder.OPENCV).pixels())
        .containsExactly(ImageDecoder.decode(png, JpegDecoder.IMAGEIO).pixels());

    Path cmyk = tmp.resolve("cmyk.jpg");
    writeCmykJpeg(cmyk);
    assertThat(OpenCvJpeg.components(Files.readAllBytes(cmyk))).isEqualTo(4);
    assertThat(ImageDecoder.decode(cmyk, JpegDecoder.OPENCV).pixels())
        .containsExactly(ImageDecoder.decode(cmyk, JpegDecoder.IMAGEIO).pixels());
  }

  @Test
  void notAJpegIsRefusedNamingTheFile() throws IOException {
    Path bogus = tmp.resolve("bogus.jpg");
    byte[] junk = new byte[300];
    new Random(1).nextBytes(junk);
    junk[0] = (byte) 0xFF;
    junk[1] = (byte) 0xD8;
    junk[298] = (byte) 0xFF;
    junk[299] = (byte) 0xD9;
    Files.write(bogus, junk);
    Path text = tmp.resolve("text.jpg");
    Files.writeString(text, "not an image");
    for (Path file : List.of(bogus, text)) {
      assertThatThrownBy(() -> ImageDecoder.decode(file, JpegDecoder.OPENCV))
          .isInstanceOf(CorruptImageException.class).hasMessageContaining(file.toString());
    }
    assertThatThrownBy(() -> ImageDecoder.decode(tmp.resolve("missing.jpg"), JpegDecoder.OPENCV))
        .isInstanceOf(CorruptImageException.class).hasMessageContaining("missing.jpg");
  }

  @Test
  void truncatedJpegsAreLeftToImageIo() throws IOException {
    JpegFolderMaker.make(tmp.resolve("one"), 1, 1, 2);
    Path whole = jpegs(tmp.resolve("one")).get(0);
    byte[] data = Files.readAllBytes(whole);
    assertThat(OpenCvJpeg.hasEndMarker(data)).isTrue();
    byte[] half = Arrays.copyOf(data, data.length / 2);
    assertThat(OpenCvJpeg.hasEndMarker(half)).isFalse();
    Path truncated = tmp.resolve("truncated.jpg");
    Files.write(truncated, half);
    // Whatever ImageIO makes of it (an error naming the file, or its partial image), OpenCV mode does the same.
    Object viaOpenCv = outcome(truncated, JpegDecoder.OPENCV);
    Object viaImageIo = outcome(truncated, JpegDecoder.IMAGEIO);
    if (viaImageIo instanceof float[] px) {
      assertThat((float[]) viaOpenCv).containsExactly(px);
    } else {
      assertThat(viaOpenCv).isEqualTo(viaImageIo).asString().contains(truncated.toString());
    }
  }

  @Test
  void trainingTransformSeesTheSameInputEitherWay() throws IOException {
    JpegFolderMaker.make(tmp, 2, 1, 11);
    TransformSpec spec = TransformSpec.of(3, 224, true);
    int per = 3 * 224 * 224;
    for (Path file : jpegs(tmp)) {
      float[] cv = new float[per];
      float[] io = new float[per];
      spec.apply(ImageDecoder.decode(file, JpegDecoder.OPENCV), new Random(5), cv, 0);
      spec.apply(ImageDecoder.decode(file, JpegDecoder.IMAGEIO), new Random(5), io, 0);
      // Normalised values: one level is 1 / (255 * std), std about 0.225.
      assertThat(meanAbsDiff(cv, io) * 255 * 0.225).isLessThan(1.0);
      assertThat(mean(cv)).isCloseTo(mean(io), org.assertj.core.data.Offset.offset(0.02));
    }
  }

  /** The data with the frame header's sample precision changed (the header only, for the parser). */
  private static byte[] withPrecision(byte[] data, int bits) {
    byte[] copy = data.clone();
    for (int i = 2; i + 4 < copy.length; ) {
      int marker = copy[i + 1] & 0xff;
      if (marker == 0xC0 || marker == 0xC2) {
        copy[i + 4] = (byte) bits;
        return copy;
      }
      i += 2 + (((copy[i + 2] & 0xff) << 8) | (copy[i + 3] & 0xff));
    }
    throw new AssertionError("no frame header");
  }

  private static Object outcome(Path file, JpegDecoder decoder) {
    try {
      return ImageDecoder.decode(file, decoder).pixels();
    } catch (CorruptImageException e) {
      return e.getMessage();
    }
  }

  private static void writeCmykJpeg(Path file) throws IOException {
    java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
        java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setPixel(x, y, new int[] {x * 10, y * 10, 60, 30});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
  }

  private static List<Path> jpegs(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
  }

  private static double meanAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double mean(float[] a) {
    double sum = 0;
    for (float v : a) {
      sum += v;
    }
    return sum / a.length;
  }
}
