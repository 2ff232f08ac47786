package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.tensorio.pth.PickleBytes;
import io.prenas.tensorio.Safetensors;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

  @TempDir
  Path tmp;

  @Test
  void aTrainingCheckpointBecomesTheReferenceSafetensors() throws IOException {
    Path out = tmp.resolve("supernet.safetensors");
    CliRun run = CliRun.of("convert", "--in", SharedFiles.microA("pth/checkpoint.pth").toString(), "--out",
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 72 tensors of entry 'model' to " + out);
    Safetensors.Contents converted = Safetensors.read(out);
    assertThat(converted.tensors()).isEqualTo(Safetensors.read(SharedFiles.microA("init.safetensors")).tensors());
    assertThat(converted.metadata()).containsEntry("converted_from", "pytorch-zip")
        .containsEntry("checkpoint_entry", "model");
  }

  @Test
  void aMaliciousCheckpointIsRefusedByNameWithExitCode2AndNoOutput() throws IOException {
    // GLOBAL posixpath system, 'touch <marker>', TUPLE1, REDUCE, STOP: what pickling a hostile __reduce__ gives.
    Path marker = tmp.resolve("pwned");
    byte[] pickle = PickleBytes.protocol2().global("posixpath", "system").mark().str("touch " + marker).tuple()
        .op('R').stop().bytes();
    Path evil = PickleBytes.zip(tmp.resolve("evil.pth"), pickle, Map.of());
    Path out = tmp.resolve("out.safetensors");
    String err = CliRun.of("convert", "--in", evil.toString(), "--out", out.toString()).singleErrorLine();
    assertThat(err).contains(evil.toString()).contains("refused Python global 'posixpath.system'");
    assertThat(marker).doesNotExist();
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(evil); // neither output nor temporary file
    }
  }

  @Test
  void badInputIsOneLineWithExitCode2() throws IOException {
    Path out = tmp.resolve("out.safetensors");
    byte[] whole = Files.readAllBytes(SharedFiles.microA("pth/checkpoint-legacy.pth"));
    Path cut = Files.write(tmp.resolve("cut.pth"), java.util.Arrays.copyOf(whole, whole.length - 10));
    assertThat(CliRun.of("convert", "--in", cut.toString(), "--out", out.toString()).singleErrorLine())
        .contains("cut.pth").contains("truncated");
    assertThat(CliRun.of("convert", "--in", SharedFiles.microA("pth/checkpoint.pth").toString(), "--out",
        out.toString(), "--key", "ema").singleErrorLine()).contains("no entry 'ema' (entries: model, optimizer");
    assertThat(CliRun.of("convert", "--in", SharedFiles.microA("init.safetensors").toString(), "--out",
        out.toString()).singleErrorLine()).contains("not a PyTorch checkpoint");
    assertThat(CliRun.of("convert", "--in", tmp.resolve("none.pth").toString(), "--out", out.toString())
        .singleErrorLine()).contains("file not found").contains("none.pth");
    assertThat(out).doesNotExist();
  }
}
