package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.training.Checkpoint;
import io.prenas.training.Evaluator;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainEvalCommandTest {

  @TempDir
  Path tmp;

  private static final String SPACE = "src/test/resources/spaces/pico.yaml";

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private void writeIdx(Path dir, int n) throws Exception {
    Files.createDirectories(dir);
    Random rng = new Random(3);
    try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")));
        DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
      img.writeInt(0x803);
      img.writeInt(n);
      img.writeInt(8);
      img.writeInt(8);
      lab.writeInt(0x801);
      lab.writeInt(n);
      for (int i = 0; i < n; i++) {
        byte[] px = new byte[64];
        rng.nextBytes(px);
        img.write(px);
        lab.writeByte(rng.nextInt(4));
      }
    }
  }

  private static final String CNN_PICO = "src/test/resources/spaces/cnn-pico.yaml";

  /** Two preferred architectures of {@link #CNN_PICO}, at resolutions 12 and 16. */
  private Path cnnPreferred() throws IOException {
    Path preferred = tmp.resolve("cnn-preferred.json");
    Files.writeString(preferred, "[{\"resolution\":12,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,"
        + "\"kernels\":[3]},{\"width\":8,\"depth\":1,\"kernels\":[3]}],\"head\":16},"
        + "{\"resolution\":16,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,\"kernels\":[3]},"
        + "{\"width\":16,\"depth\":2,\"kernels\":[5,3]}],\"head\":32}]");
    return preferred;
  }

  @Test
  void aCnnSpaceTrainsAtEachResolutionAndEvalRecalibratesUnlessTold() throws Exception {
    Path data = tmp.resolve("cnn-data");
    writeIdx(data, 40);
    Path preferred = cnnPreferred();
    String cnn = CNN_PICO;
    Path out = tmp.resolve("cnn-out");
    Run train = run("train", "--space", cnn, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", out.toString(), "--val-fraction", "0.25");
    assertThat(train.code()).as(train.err()).isZero();
    Run eval = run("eval", "--space", cnn, "--weights", out.resolve("supernet.safetensors").toString(),
        "--preferred", preferred.toString(), "--data", data.toString(), "--val-fraction", "0.25",
        "--recalibration-batches", "2", "--recalibration-batch-size", "8");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.err()).contains("recalibrated per architecture on 2 batches");
    Run stored = run("eval", "--space", cnn, "--weights", out.resolve("supernet.safetensors").toString(),
        "--preferred", preferred.toString(), "--data", data.toString(), "--val-fraction", "0.25",
        "--recalibration-batches", "0");
    assertThat(stored.code()).as(stored.err()).isZero();
    assertThat(stored.err()).contains("not recalibrated");
  }

  @Test
  void trainWithDistillReportsTheTeacherAndRecordsTheSettingInTheCheckpoint() throws Exception {
    Path data = tmp.resolve("cnn-data");
    writeIdx(data, 40);
    Path preferred = cnnPreferred();
    String cnn = CNN_PICO;
    Path out = tmp.resolve("distilled");
    Run train = run("train", "--space", cnn, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", out.toString(), "--val-fraction", "0.25", "--distill",
        "--distill-temperature", "2");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.err()).contains("in-place distillation on (temperature 2.0): teacher r16-");
    assertThat(train.out()).contains("finished after 7 of 7 steps").contains("distilled in place from r16-")
        .contains("at temperature 2.0");
    assertThat(Checkpoint.read(out.resolve("checkpoint.safetensors")).state().distillation())
        .isEqualTo(io.prenas.training.Distillation.on(2));

    Run cold = run("train", "--space", cnn, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", tmp.resolve("cold").toString(), "--distill",
        "--distill-temperature", "0");
    assertThat(cold.code()).isEqualTo(2);
    assertThat(cold.err().strip().lines()).hasSize(1);
    assertThat(cold.err()).contains("temperature");
    Run alone = run("train", "--space", cnn, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", tmp.resolve("alone").toString(), "--distill-temperature", "2");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err()).contains("--distill-temperature needs --distill");
    Run resumedOff = run("train", "--space", cnn, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "2", "--batch", "4", "--out", out.toString(), "--val-fraction", "0.25", "--resume",
        out.resolve("checkpoint.safetensors").toString());
    assertThat(resumedOff.code()).isEqualTo(2);
    assertThat(resumedOff.err()).contains("distillation on (temperature 2.0), this run has distillation off");
  }

  @Test
  void trainThenEvalWritesCheckpointWeightsAndResults() throws Exception {
    Path data = tmp.resolve("data");
    writeIdx(data, 40);
    Path preferred = tmp.resolve("preferred.json");
    Files.writeString(preferred, "[{\"layer_num\":1,\"embed_dim\":48,\"mlp_ratio\":[1.0],\"num_heads\":[1]},"
        + "{\"layer_num\":2,\"embed_dim\":64,\"mlp_ratio\":[2.0,1.0],\"num_heads\":[1,1]}]");
    Path out = tmp.resolve("out");
    Run train = run("train", "--space", SPACE, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", out.toString(), "--val-fraction", "0.25");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("finished after 7 of 7 steps");
    assertThat(Checkpoint.read(out.resolve("checkpoint.safetensors")).state().globalStep()).isEqualTo(7);
    assertThat(out.resolve("supernet.safetensors")).exists();

    Path results = tmp.resolve("results.json");
    Run eval = run("eval", "--space", SPACE, "--weights", out.resolve("checkpoint.safetensors").toString(),
        "--preferred", preferred.toString(), "--data", data.toString(), "--out", results.toString(),
        "--val-fraction", "0.25");
    assertThat(eval.code()).as(eval.err()).isZero();
    // 40 images, 25% held out per class (rounded per class); 29 train -> 7 steps of 4
    assertThat(Evaluator.read(results)).hasSize(2).allSatisfy(m -> assertThat(m.images()).isEqualTo(11));
    assertThat(eval.out()).contains("e48_d1_h1_m1");
  }

  @Test
  void bf16TrainsEvaluatesRecordsItsPrecisionAndRefusesToResumeInAnother() throws Exception {
    Path data = tmp.resolve("data");
    writeIdx(data, 40);
    Path preferred = tmp.resolve("preferred.json");
    Files.writeString(preferred, "[{\"layer_num\":2,\"embed_dim\":64,\"mlp_ratio\":[2.0,1.0],\"num_heads\":[1,1]}]");
    Path out = tmp.resolve("out");
    Run train = run("train", "--space", SPACE, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "1", "--batch", "4", "--out", out.toString(), "--val-fraction", "0.25", "--precision", "bf16");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("finished after 7 of 7 steps (0 skipped");
    Path checkpoint = out.resolve("checkpoint.safetensors");
    assertThat(Checkpoint.read(checkpoint).state().precision()).isEqualTo("bf16");

    Run eval = run("eval", "--space", SPACE, "--weights", checkpoint.toString(), "--preferred",
        preferred.toString(), "--data", data.toString(), "--val-fraction", "0.25", "--precision", "bf16");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("e64_d2");

    Run resumed = run("train", "--space", SPACE, "--preferred", preferred.toString(), "--data", data.toString(),
        "--epochs", "2", "--batch", "4", "--out", tmp.resolve("out2").toString(), "--val-fraction", "0.25",
        "--resume", checkpoint.toString());
    assertThat(resumed.code()).isEqualTo(2);
    assertThat(resumed.err()).contains("precision bf16").contains("same precision");

    for (String command : new String[] {"train", "eval"}) {
      Run bad = "train".equals(command)
          ? run("train", "--space", SPACE, "--preferred", preferred.toString(), "--data", data.toString(),
              "--epochs", "1", "--batch", "4", "--out", tmp.resolve("o").toString(), "--precision", "fp16")
          : run("eval", "--space", SPACE, "--weights", checkpoint.toString(), "--preferred", preferred.toString(),
              "--data", data.toString(), "--precision", "fp16");
      assertThat(bad.code()).as(command).isEqualTo(2);
      assertThat(bad.err()).as(command).startsWith("error: ").contains("fp32 or bf16");
    }
  }

  @Test
  void badInputIsOneLineWithExitCode2() throws Exception {
    Path preferred = tmp.resolve("p.json");
    Files.writeString(preferred, "[{\"layer_num\":1,\"embed_dim\":40,\"mlp_ratio\":[1.0],\"num_heads\":[1]}]");
    Run r = run("train", "--space", SPACE, "--preferred", preferred.toString(), "--data",
        tmp.resolve("missing").toString(), "--epochs", "1", "--batch", "4", "--out", tmp.resolve("o").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("embed_dim");
    Run noData = run("eval", "--space", SPACE, "--weights", tmp.resolve("w").toString(), "--preferred",
        preferred.toString(), "--data", tmp.resolve("missing").toString());
    assertThat(noData.code()).isEqualTo(2);
    assertThat(noData.err().strip().lines()).hasSize(1);
  }
}
