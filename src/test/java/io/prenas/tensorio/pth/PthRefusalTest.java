package io.prenas.tensorio.pth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile, truncated and malformed checkpoints: each is refused with a message that says what is wrong. */
class PthRefusalTest {

  @TempDir
  Path tmp;

  /** {@code posixpath.system('touch <marker>')}: what pickling an object with a hostile __reduce__ gives. */
  private byte[] systemCall(Path marker) {
    return PickleBytes.protocol2().global("posixpath", "system").str("touch " + marker).op(0x85).op('R').stop()
        .bytes();
  }

  @Test
  void aForbiddenGlobalIsRefusedByNameAndNothingRuns() throws IOException {
    Path marker = tmp.resolve("pwned");
    Path zip = PickleBytes.zip(tmp.resolve("evil.pth"), systemCall(marker), Map.of());
    assertThatThrownBy(() -> PthReader.read(zip, null)).isInstanceOf(PthException.class)
        .hasMessageContaining("refused Python global 'posixpath.system'")
        .hasMessageContaining("torch._utils._rebuild_tensor_v2");
    Path legacy = PickleBytes.legacy(tmp.resolve("evil-legacy.pth"), systemCall(marker), Map.of(), 4);
    assertThatThrownBy(() -> PthReader.read(legacy, null)).isInstanceOf(PthException.class)
        .hasMessageContaining("'posixpath.system'");
    assertThat(marker).doesNotExist();
  }

  @Test
  void everyWayOfNamingAGlobalGoesThroughTheAllowlist() throws IOException {
    byte[] stackGlobal = PickleBytes.protocol2().op(0x8c).op(8).raw("builtins".getBytes()).op(0x8c).op(4)
        .raw("eval".getBytes()).op(0x93).stop().bytes();
    byte[] inst = PickleBytes.protocol2().mark().str("id").raw("ios\nsystem\n".getBytes()).stop().bytes();
    byte[] hiddenInState = PickleBytes.protocol2().op('}').str("model").op('}').str("args")
        .global("subprocess", "Popen").op('s').op('s').stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("a.pth"), stackGlobal, Map.of()), null))
        .hasMessageContaining("'builtins.eval'");
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("b.pth"), inst, Map.of()), null))
        .hasMessageContaining("'os.system'");
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("c.pth"), hiddenInState, Map.of()), "model"))
        .hasMessageContaining("'subprocess.Popen'");
    assertThat(PthReader.allowedGlobals()).contains("collections.OrderedDict", "argparse.Namespace",
        "torch.FloatStorage").doesNotContain("builtins.eval", "posixpath.system");
  }

  @Test
  void allowedNamesCannotBeMisused() throws IOException {
    // A storage class called like a function; the extension registry, which maps numbers to arbitrary globals.
    byte[] callStorage = PickleBytes.protocol2().global("torch", "FloatStorage").op(')').op('R').stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("a.pth"), callStorage, Map.of()), null))
        .hasMessageContaining("'torch.FloatStorage' cannot be called");
    byte[] extension = PickleBytes.protocol2().op(0x82).op(1).stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("b.pth"), extension, Map.of()), null))
        .hasMessageContaining("extension-registry");
  }

  @Test
  void truncatedFilesAreRefused() throws IOException {
    for (String name : new String[] {"checkpoint.pth", "checkpoint-legacy.pth"}) {
      byte[] whole = Files.readAllBytes(SharedFiles.microA("pth/" + name));
      for (int keep : new int[] {20, 3000, whole.length / 2, whole.length - 100}) {
        Path cut = Files.write(tmp.resolve("cut-" + keep + "-" + name), Arrays.copyOf(whole, keep));
        assertThatThrownBy(() -> PthReader.read(cut, null)).as(name + " cut at " + keep)
            .isInstanceOf(PthException.class).hasMessageMatching("(?s).*(truncated|not a complete zip).*");
      }
    }
  }

  @Test
  void aTruncatedPickleInsideAWholeArchiveIsRefused() throws IOException {
    byte[] pickle = Arrays.copyOf(PickleBytes.protocol2().op('}').str("weight").op('N').op('s').stop().bytes(), 9);
    Path file = PickleBytes.zip(tmp.resolve("short.pth"), pickle, Map.of());
    assertThatThrownBy(() -> PthReader.read(file, null)).hasMessageContaining("truncated pickle");
  }

  @Test
  void anArchiveWhoseEndRecordPointsPastTheFileIsRefused() throws IOException {
    // Found by PthFuzzTest: one bit flipped in the last byte (the high byte of the archive comment's length) made
    // ZipFile throw EOFException, which was not a PthException (and so no 400 for an upload).
    Path file = PickleBytes.zip(tmp.resolve("end.pth"), PickleBytes.protocol2().op('}').stop().bytes(), Map.of());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> PthReader.read(file, null)).isInstanceOf(PthException.class)
        .hasMessageContaining("not a complete zip archive");
  }

  @Test
  void sizesBeyondTheDataAreRefused() throws IOException {
    // The pickle declares a storage of a billion floats; its record holds 8 bytes.
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').str("w").rebuildTensor(() -> p.storage("FloatStorage", "0", 1_000_000_000L), 0,
        new long[] {1_000_000_000L}, new long[] {1}).op('s').stop();
    Path zip = PickleBytes.zip(tmp.resolve("big.pth"), p.bytes(), Map.of("0", PickleBytes.floats(1, 2)));
    assertThatThrownBy(() -> PthReader.read(zip, null)).hasMessageContaining("storage '0' declares 1000000000"
        + " elements (4000000000 bytes) but its record holds 8");
    Path legacy = PickleBytes.legacy(tmp.resolve("big-legacy.pth"), p.bytes(), Map.of("0", PickleBytes.floats(1, 2)),
        4);
    assertThatThrownBy(() -> PthReader.read(legacy, null)).hasMessageContaining("holds 2 elements but the pickle"
        + " declares 1000000000");
    // A view that reaches past the end of its storage.
    PickleBytes q = PickleBytes.protocol2();
    q.op('}').str("w").rebuildTensor(() -> q.storage("FloatStorage", "0", 2), 1, new long[] {2}, new long[] {1})
        .op('s').stop();
    Path outside = PickleBytes.zip(tmp.resolve("outside.pth"), q.bytes(), Map.of("0", PickleBytes.floats(1, 2)));
    assertThatThrownBy(() -> PthReader.read(outside, null)).hasMessageContaining("reaches element 2 of storage '0',"
        + " which has 2");
  }

  @Test
  void aZipBombIsRefusedBeforeItInflates() throws IOException {
    // 96 MiB of zeros deflate to about 100 KB; the read budget (4x the file + 64 MiB) stops it before inflating.
    long numel = 24L * 1024 * 1024;
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').str("w").rebuildTensor(() -> p.storage("FloatStorage", "0", numel), 0, new long[] {numel},
        new long[] {1}).op('s').stop();
    Path file = tmp.resolve("bomb.pth");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      PickleBytes.stored(zip, "archive/data.pkl", p.bytes());
      zip.putNextEntry(new ZipEntry("archive/data/0"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 96; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    assertThat(Files.size(file)).isLessThan(1 << 20);
    assertThatThrownBy(() -> PthReader.read(file, null)).hasMessageContaining("beyond the limit of");
  }

  @Test
  void manyViewsOfOneStorageCannotMultiplyMemory() throws IOException {
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').mark();
    for (int i = 0; i < 100; i++) {
      int index = i;
      p.str("w" + i).rebuildTensor(() -> {
        if (index == 0) {
          p.storage("FloatStorage", "0", 1000).op('q').op(1);
        } else {
          p.op('h').op(1);
        }
      }, 0, new long[] {1000}, new long[] {1});
    }
    p.op('u').stop();
    Path file = PickleBytes.zip(tmp.resolve("views.pth"), p.bytes(), Map.of("0", new byte[4000]));
    assertThat(PthReader.read(file, null, 1_000_000).tensors()).hasSize(100);
    assertThatThrownBy(() -> PthReader.read(file, null, 100_000)).hasMessageContaining("beyond the limit of 100000");
  }

  @Test
  void malformedFilesAreRefused() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.pth"), "just some text, not a checkpoint");
    assertThatThrownBy(() -> PthReader.read(text, null)).hasMessageContaining("not a PyTorch checkpoint");
    Path junkZip = Files.write(tmp.resolve("junk.pth"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
    assertThatThrownBy(() -> PthReader.read(junkZip, null)).hasMessageContaining("not a complete zip archive");
    Path otherZip = tmp.resolve("other.pth");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(otherZip))) {
      PickleBytes.stored(zip, "readme.txt", "hello".getBytes());
    }
    assertThatThrownBy(() -> PthReader.read(otherZip, null)).hasMessageContaining("not a PyTorch checkpoint");
    byte[] unknownOpcode = PickleBytes.protocol2().op(0xff).stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("a.pth"), unknownOpcode, Map.of()), null))
        .hasMessageContaining("malformed pickle at byte 2: unknown opcode 0xff");
    byte[] underflow = PickleBytes.protocol2().op('s').stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("b.pth"), underflow, Map.of()), null))
        .hasMessageContaining("stack underflow");
    byte[] notTensors = PickleBytes.protocol2().op('}').str("model").op('}').str("w").integer(3).op('s').op('s')
        .stop().bytes();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("c.pth"), notTensors, Map.of()), null))
        .hasMessageContaining("entry 'model' is not a state dict: its item 'w' is a int");
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').str("w").rebuildTensor(() -> p.storage("FloatStorage", "7", 1), 0, new long[] {1}, new long[] {1})
        .op('s').stop();
    assertThatThrownBy(() -> PthReader.read(PickleBytes.zip(tmp.resolve("d.pth"), p.bytes(), Map.of()), null))
        .hasMessageContaining("storage '7' has no record archive/data/7");
  }
}
