package io.prenas.data;

import io.prenas.fileio.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes a synthetic ImageFolder of JPEG photos for loader benchmarks (no JPEG data set ships with the project):
 * ImageNet-like sizes (about 500 x 375, varied), quality 90, deterministic for a seed. Each image is a smooth colour
 * gradient with random shapes and pixel noise, so that files compress like photos (tens of KB each) rather than like
 * flat colour, which would make decoding unrealistically cheap.
 */
public final class JpegFolderMaker {

  /** ImageNet's common sizes (width x height); most ImageNet training images are 500 pixels on the longer side. */
  private static final int[][] SIZES = {{500, 375}, {375, 500}, {500, 333}, {500, 500}, {640, 480}, {400, 300},
      {500, 400}, {333, 500}, {800, 600}, {300, 225}};

  private JpegFolderMaker() {}

  /** Writes {@code images} JPEGs into {@code classes} class folders under {@code root}; returns the bytes written. */
  public static long make(Path root, int images, int classes, long seed) throws IOException {
    if (images <= 0 || classes <= 0) {
      throw new IllegalArgumentException("images and classes must be positive, got " + images + " and " + classes);
    }
    long bytes = 0;
    for (int i = 0; i < images; i++) {
      Random rng = new Random(seed * 1_000_003L + i);
      int cls = i % classes;
      int[] size = SIZES[rng.nextInt(SIZES.length)];
      byte[] jpeg = encode(paint(size[0], size[1], cls, rng), 0.9f);
      Path file = root.resolve(String.format("class%03d", cls)).resolve(String.format("img%06d.jpg", i));
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, AtomicFiles.Sync.NONE, out -> out.write(jpeg));
      bytes += jpeg.length;
    }
    return bytes;
  }

  private static BufferedImage paint(int w, int h, int cls, Random rng) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    float hue = (cls * 0.137f) % 1f;
    int[] base = rgb(java.awt.Color.HSBtoRGB(hue, 0.5f + 0.4f * rng.nextFloat(), 0.4f + 0.5f * rng.nextFloat()));
    int[] other = rgb(java.awt.Color.HSBtoRGB(rng.nextFloat(), 0.6f, 0.8f));
    int shapes = 3 + rng.nextInt(6);
    int[][] shape = new int[shapes][6]; // cx, cy, rx, ry, colour, kind
    for (int[] s : shape) {
      s[0] = rng.nextInt(w);
      s[1] = rng.nextInt(h);
      s[2] = 10 + rng.nextInt(w / 3);
      s[3] = 10 + rng.nextInt(h / 3);
      s[4] = java.awt.Color.HSBtoRGB(rng.nextFloat(), rng.nextFloat(), rng.nextFloat());
      s[5] = rng.nextInt(2);
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float t = (x + y) / (float) (w + h);
        int[] c = {mix(base[0], other[0], t), mix(base[1], other[1], t), mix(base[2], other[2], t)};
        for (int[] s : shape) {
          float dx = (x - s[0]) / (float) s[2];
          float dy = (y - s[1]) / (float) s[3];
          boolean inside = s[5] == 0 ? dx * dx + dy * dy < 1 : Math.abs(dx) < 1 && Math.abs(dy) < 1;
          if (inside) {
            c = rgb(s[4]);
          }
        }
        int noise = (int) (rng.nextGaussian() * 12); // sensor-like noise: photos do not compress to flat blocks
        row[x] = (clamp(c[0] + noise) << 16) | (clamp(c[1] + noise) << 8) | clamp(c[2] + noise);
      }
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    return img;
  }

  private static byte[] encode(BufferedImage img, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static int[] rgb(int packed) {
    return new int[] {(packed >> 16) & 0xff, (packed >> 8) & 0xff, packed & 0xff};
  }

  private static int mix(int a, int b, float t) {
    return Math.round(a + (b - a) * t);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
