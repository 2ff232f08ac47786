package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.tensorio.Safetensors;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCommandTest {

  private static final Path FIXTURE = SharedFiles.resolve("fixtures/preprocess-a");

  @TempDir
  Path tmp;

  @Test
  void aDirectoryBecomesTheReferenceTensorsInSortedOrder() throws IOException {
    Path out = tmp.resolve("x.safetensors");
    CliRun run = CliRun.of("preprocess", "--in", FIXTURE.toString(), "--preset", "imagenet-eval", "--out",
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 4 images");
    Safetensors.Contents got = Safetensors.read(out);
    Safetensors.Contents expected = Safetensors.read(FIXTURE.resolve("expected.safetensors"));
    assertThat(got.tensors().keySet()).containsExactly("pixels.0", "pixels.1", "pixels.2", "pixels.3");
    for (String key : got.tensors().keySet()) {
      assertThat(got.tensors().get(key).shape()).containsExactly(3, 224, 224);
      assertThat(got.tensors().get(key).toFloats()).as(key).containsExactly(expected.require(key).toFloats());
    }
    assertThat(got.metadata().get("files").lines()).containsExactly("img0_500x375_RGB.png", "img1_300x400_RGB.png",
        "img2_224x224_L.png", "img3_640x480_RGBA.png");
  }

  @Test
  void oneFileAtAnotherSize() throws IOException {
    Path out = tmp.resolve("one.safetensors");
    CliRun run = CliRun.of("preprocess", "--in", FIXTURE.resolve("img1_300x400_RGB.png").toString(), "--preset",
        "imagenet-eval", "--size", "32", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Safetensors.read(out).require("pixels.0").shape()).containsExactly(3, 32, 32);
  }

  @Test
  void badInputIsOneLineWithExitCode2() throws IOException {
    Path out = tmp.resolve("x.safetensors");
    Path corrupt = Files.writeString(tmp.resolve("broken.png"), "not a png");
    assertThat(CliRun.of("preprocess", "--in", corrupt.toString(), "--preset", "imagenet-eval", "--out",
        out.toString()).singleErrorLine()).contains("broken.png");
    assertThat(CliRun.of("preprocess", "--in", FIXTURE.toString(), "--preset", "imagenet-train", "--out",
        out.toString()).singleErrorLine()).contains("unknown --preset 'imagenet-train'");
    assertThat(CliRun.of("preprocess", "--in", tmp.resolve("none").toString(), "--preset", "imagenet-eval",
        "--out", out.toString()).singleErrorLine()).contains("file not found");
    assertThat(out).doesNotExist();
  }
}
