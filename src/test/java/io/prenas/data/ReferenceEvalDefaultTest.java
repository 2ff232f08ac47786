package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.tensorio.Safetensors;
import io.prenas.testing.SharedFiles;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the reference's evaluation preprocessing applies by default, and what the decoder makes of odd files. */
class ReferenceEvalDefaultTest {

  private static final Path FIXTURE = SharedFiles.resolve("fixtures/preprocess-a");

  @TempDir
  Path tmp;

  @Test
  void evaluationOfAnImageFolderAt224IsTheReferenceTransformAndCorruptFilesAreSkipped() throws IOException {
    Path cls = Files.createDirectories(tmp.resolve("val").resolve("n01440764"));
    String[] names = {"img0_500x375_RGB.png", "img1_300x400_RGB.png", "img2_224x224_L.png", "img3_640x480_RGBA.png"};
    for (String name : names) {
      Files.copy(FIXTURE.resolve(name), cls.resolve(name));
    }
    Files.writeString(cls.resolve("img1b_truncated.png"), "not a png at all");
    Safetensors.Contents expected = Safetensors.read(FIXTURE.resolve("expected.safetensors"));
    ImageSource source = ImageFolderSource.open(tmp.resolve("val"));
    TransformSpec eval = TransformSpec.of(3, 224, true).forEvaluation();
    assertThat(eval.forSource(source).resize()).isEqualTo(TransformSpec.Resize.REFERENCE_EVAL);
    try (BatchLoader loader = new BatchLoader(source, BatchLoader.sequential(source.size()), 8, eval, 0, 1, 0)) {
      Batch batch = loader.next();
      assertThat(batch.count()).isEqualTo(4);
      int per = 3 * 224 * 224;
      for (int i = 0; i < 4; i++) {
        assertThat(Arrays.copyOfRange(batch.x(), i * per, (i + 1) * per)).as(names[i])
            .containsExactly(expected.require("pixels." + i).toFloats());
      }
      assertThat(loader.corrupt()).singleElement().asString().contains("img1b_truncated.png");
    }
  }

  @Test
  void trainingSmallInputsAndFixedSizeDataKeepTheirTransform() throws IOException {
    Files.createDirectories(tmp.resolve("a"));
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", tmp.resolve("a/x.png").toFile());
    ImageSource folder = ImageFolderSource.open(tmp);
    assertThat(TransformSpec.of(3, 224, true).forSource(folder).resize()).isEqualTo(TransformSpec.Resize.STRETCH);
    assertThat(TransformSpec.of(3, 64, false).forSource(folder).resize()).isEqualTo(TransformSpec.Resize.STRETCH);
    assertThat(TransformSpec.of(1, 224, false).forSource(folder).resize()).isEqualTo(TransformSpec.Resize.STRETCH);
    ImageSource fixedSize = new ImageSource() { // like IDX: one size for all, nativeSizes() false by default
      public int size() {
        return 1;
      }

      public java.util.List<String> classNames() {
        return java.util.List.of("a");
      }

      public int label(int index) {
        return 0;
      }

      public Image image(int index) {
        return new Image(3, 224, 224, new float[3 * 224 * 224]);
      }

      public String describe(int index) {
        return "fixed#" + index;
      }
    };
    assertThat(TransformSpec.of(3, 224, false).forSource(fixedSize).resize()).isEqualTo(TransformSpec.Resize.STRETCH);
    assertThat(TransformSpec.of(3, 224, false).forSource(new SubsetSource(folder, new int[] {0})).resize())
        .isEqualTo(TransformSpec.Resize.REFERENCE_EVAL);
  }

  @Test
  void greyAndRgbaJpegAndPngDecodeToPillowsValues() throws IOException {
    BufferedImage rgba = new BufferedImage(3, 2, BufferedImage.TYPE_4BYTE_ABGR);
    rgba.setRGB(1, 0, 0x10_20_30_40); // nearly transparent: Pillow's convert('RGB') keeps the colour, drops alpha
    Path png = tmp.resolve("rgba.png");
    ImageIO.write(rgba, "png", png.toFile());
    Image decoded = ImageDecoder.decode(png);
    assertThat(decoded.channels()).isEqualTo(3);
    assertThat(new float[] {decoded.at(0, 0, 1), decoded.at(1, 0, 1), decoded.at(2, 0, 1)})
        .containsExactly(0x20 / 255f, 0x30 / 255f, 0x40 / 255f);
    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(1, 1, 0, 77);
    Path jpeg = tmp.resolve("grey.jpg");
    ImageIO.write(grey, "jpg", jpeg.toFile());
    Image greyDecoded = ImageDecoder.decode(jpeg);
    assertThat(greyDecoded.channels()).isEqualTo(1);
  }

  @Test
  void cmykJpegsAreConvertedWithPillowsFormula() throws IOException {
    // The JDK writes four-channel JPEGs without an Adobe marker, so the samples are inks as they are (not inverted).
    int[][] inks = {{0, 0, 0, 0}, {0, 0, 0, 55}, {100, 0, 0, 0}};
    int[][] rgb = {{255, 255, 255}, {200, 200, 200}, {155, 255, 255}}; // nk - c * nk / 255, nk = 255 - k
    WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 24, 8, 4, null);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 24; x++) {
        raster.setPixel(x, y, inks[x / 8]);
      }
    }
    Path file = tmp.resolve("cmyk.jpg");
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1f);
      writer.write(null, new IIOImage(raster, null, null), param);
    } finally {
      writer.dispose();
    }
    Image img = ImageDecoder.decode(file);
    assertThat(img.channels()).isEqualTo(3);
    for (int block = 0; block < 3; block++) {
      for (int c = 0; c < 3; c++) {
        assertThat(img.at(c, 4, block * 8 + 4) * 255).as("block " + block + " channel " + c)
            .isCloseTo(rgb[block][c], org.assertj.core.data.Offset.offset(3f)); // JPEG is lossy
      }
    }
  }
}
