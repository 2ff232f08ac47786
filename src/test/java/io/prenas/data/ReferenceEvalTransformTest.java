package io.prenas.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reference's evaluation transform (Pillow 9.4 + torchvision 0.14) on the PNGs of
 * {@code fixtures/preprocess-a}: at most one 8-bit level off on any value and a mean difference under 0.05 levels
 * (the fixture's tolerance, which a generic bicubic does not meet).
 */
class ReferenceEvalTransformTest {

  private static final Path FIXTURE = SharedFiles.resolve("fixtures/preprocess-a");

  @Test
  void matchesPillowAndTorchvisionOnEveryFixtureImage() throws IOException {
    JsonNode files = new ObjectMapper().readTree(FIXTURE.resolve("expected.json").toFile()).get("files");
    Safetensors.Contents expected = Safetensors.read(FIXTURE.resolve("expected.safetensors"));
    assertThat(files).hasSize(4);
    for (int i = 0; i < files.size(); i++) {
      String name = files.get(i).asText();
      Tensor want = expected.require("pixels." + i);
      assertThat(want.shape()).containsExactly(3, 224, 224);
      float[] got = ImagenetEval.pixels(FIXTURE.resolve(name), 224);
      Levels levels = Levels.between(got, want.toFloats(), 224 * 224);
      assertThat(levels.max).as(name + " max difference in 8-bit levels").isLessThanOrEqualTo(1.0 + 1e-3);
      assertThat(levels.mean).as(name + " mean difference in 8-bit levels").isLessThan(0.05);
      // Beyond the tolerance: Pillow's fixed-point arithmetic is reproduced exactly, so is every float32 value.
      assertThat(got).as(name).containsExactly(want.toFloats());
    }
  }

  @Test
  void aGenericResizeWouldNotPass() throws IOException {
    // The stretch transform of small data (bilinear, aspect ratio lost) is far off: the fixture tells them apart.
    Image img = ImageDecoder.decode(FIXTURE.resolve("img0_500x375_RGB.png"));
    float[] stretched = new float[3 * 224 * 224];
    TransformSpec.of(3, 224, false).apply(img, new java.util.Random(0), stretched, 0);
    float[] want = Safetensors.read(FIXTURE.resolve("expected.safetensors")).require("pixels.0").toFloats();
    assertThat(Levels.between(stretched, want, 224 * 224).mean).isGreaterThan(1.0);
  }

  @Test
  void sizesFollowTorchvision() {
    assertThat(ReferenceEvalTransform.resizeSize(224)).isEqualTo(256);
    assertThat(ReferenceEvalTransform.resizeSize(384)).isEqualTo(438);
    assertThat(ReferenceEvalTransform.resizedShape(375, 500, 256)).containsExactly(256, 341);
    assertThat(ReferenceEvalTransform.resizedShape(400, 300, 256)).containsExactly(341, 256);
  }

  /** Differences in 8-bit levels: normalised values times std times 255. */
  record Levels(double max, double mean) {
    static Levels between(float[] got, float[] want, int plane) {
      double max = 0;
      double sum = 0;
      for (int i = 0; i < got.length; i++) {
        double d = Math.abs(got[i] - want[i]) * TransformSpec.IMAGENET_STD[i / plane] * 255;
        max = Math.max(max, d);
        sum += d;
      }
      return new Levels(max, sum / got.length);
    }
  }
}
