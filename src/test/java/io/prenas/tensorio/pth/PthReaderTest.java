package io.prenas.tensorio.pth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.tensorio.DType;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PthReaderTest {

  @TempDir
  Path tmp;

  private static Map<String, Tensor> init() throws IOException {
    return Safetensors.read(SharedFiles.microA("init.safetensors")).tensors();
  }

  private static Path pth(String name) {
    return SharedFiles.microA("pth/" + name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint.pth", "checkpoint-legacy.pth", "state_dict.pth"})
  void float32CheckpointsEqualTheReferenceWeightsBitForBit(String file) throws IOException {
    PthReader.StateDict read = PthReader.read(pth(file), null);
    Map<String, Tensor> expected = init();
    assertThat(read.tensors().keySet()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      Tensor t = read.tensors().get(e.getKey());
      assertThat(t.dtype()).as(e.getKey()).isEqualTo(DType.F32);
      assertThat(t.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
      assertThat(t.data()).as(e.getKey()).isEqualTo(e.getValue().data()); // raw bytes: bit for bit
    }
    assertThat(read.entry()).isEqualTo(file.startsWith("checkpoint") ? "model" : null);
    assertThat(read.format()).isEqualTo(file.contains("legacy") ? "legacy" : "zip");
  }

  @Test
  void float16CheckpointEqualsTheReferenceWeightsRoundedToHalf() throws IOException {
    Map<String, Tensor> read = PthReader.read(pth("state_dict-fp16.pth"), null).tensors();
    for (Map.Entry<String, Tensor> e : init().entrySet()) {
      float[] reference = e.getValue().toFloats();
      Tensor t = read.get(e.getKey());
      assertThat(t.dtype()).isEqualTo(DType.F32);
      assertThat(t.shape()).isEqualTo(e.getValue().shape());
      float[] got = t.toFloats();
      for (int i = 0; i < reference.length; i++) {
        assertThat(got[i]).as(e.getKey() + "[" + i + "]").isEqualTo(Half.round(reference[i]));
      }
    }
  }

  @Test
  void otherEntriesOfATrainingCheckpointArePickedByKey() throws IOException {
    assertThatThrownBy(() -> PthReader.read(pth("checkpoint.pth"), "optimizer"))
        .isInstanceOf(PthException.class).hasMessageContaining("entry 'optimizer' is not a state dict");
    assertThatThrownBy(() -> PthReader.read(pth("checkpoint.pth"), "ema"))
        .isInstanceOf(PthException.class)
        .hasMessageContaining("no entry 'ema' (entries: model, optimizer, lr_scheduler, epoch, scaler, args)");
    assertThat(PthReader.read(pth("checkpoint-legacy.pth"), "model").tensors()).hasSize(72);
  }

  @Test
  void viewsWithOffsetsStridesAndSharedStoragesAreCopiedOut() throws IOException {
    float[] storage = new float[12];
    for (int i = 0; i < storage.length; i++) {
      storage[i] = i;
    }
    PickleBytes p = PickleBytes.protocol2();
    Runnable first = () -> p.storage("FloatStorage", "0", 12).op('q').op(1); // BINPUT 1: later tensors reuse it
    Runnable again = () -> p.op('h').op(1); // BINGET 1
    p.op('}').mark();
    p.str("offset").rebuildTensor(first, 2, new long[] {2, 3}, new long[] {3, 1});
    p.str("transposed").rebuildTensor(again, 0, new long[] {3, 2}, new long[] {1, 3});
    p.str("strided").rebuildTensor(again, 1, new long[] {2, 2}, new long[] {6, 2});
    p.str("expanded").rebuildTensor(again, 5, new long[] {2, 3}, new long[] {0, 1});
    p.str("scalar").rebuildTensor(again, 11, new long[] {}, new long[] {});
    p.op('u').stop();
    Path file = PickleBytes.zip(tmp.resolve("views.pth"), p.bytes(), Map.of("0", PickleBytes.floats(storage)));
    Map<String, Tensor> t = PthReader.read(file, null).tensors();
    assertThat(t.get("offset").toFloats()).containsExactly(2, 3, 4, 5, 6, 7);
    assertThat(t.get("transposed").toFloats()).containsExactly(0, 3, 1, 4, 2, 5);
    assertThat(t.get("transposed").shape()).containsExactly(3, 2);
    assertThat(t.get("strided").toFloats()).containsExactly(1, 3, 7, 9);
    assertThat(t.get("expanded").toFloats()).containsExactly(5, 6, 7, 5, 6, 7);
    assertThat(t.get("scalar").toFloats()).containsExactly(11);
    assertThat(t.get("scalar").shape()).isEmpty();
  }

  @Test
  void bfloat16AndIntegerStoragesAndParameters() throws IOException {
    ByteBuffer bf16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1.5f, -2f, 0.09375f}) {
      bf16.putShort((short) (Float.floatToIntBits(v) >>> 16)); // exact in bfloat16
    }
    ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3);
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').mark();
    p.str("w").global("torch._utils", "_rebuild_parameter").mark();
    p.rebuildTensor(() -> p.storage("BFloat16Storage", "a", 3), 0, new long[] {3}, new long[] {1});
    p.op(0x88).global("collections", "OrderedDict").op(')').op('R').tuple().op('R');
    p.str("n").rebuildTensor(() -> p.storage("LongStorage", "b", 2), 0, new long[] {2}, new long[] {1});
    p.op('u').stop();
    Path file = PickleBytes.zip(tmp.resolve("bf16.pth"), p.bytes(),
        Map.of("a", bf16.array(), "b", longs.array()));
    Map<String, Tensor> t = PthReader.read(file, null).tensors();
    assertThat(t.get("w").dtype()).isEqualTo(DType.F32);
    assertThat(t.get("w").toFloats()).containsExactly(1.5f, -2f, 0.09375f);
    assertThat(t.get("n").dtype()).isEqualTo(DType.I64);
    assertThat(t.get("n").toLongs()).containsExactly(7, -3);
  }

  @Test
  void legacyStorageViewsAreResolvedInsideTheirRoot() throws IOException {
    PickleBytes p = PickleBytes.protocol2();
    p.op('}').str("v").rebuildTensor(() -> p.legacyStorageView("FloatStorage", "r", 6, 2, 3), 1,
        new long[] {2}, new long[] {1}).op('s').stop();
    Path file = PickleBytes.legacy(tmp.resolve("view.pth"), p.bytes(),
        Map.of("r", PickleBytes.floats(10, 11, 12, 13, 14, 15)), 4);
    assertThat(PthReader.read(file, null).tensors().get("v").toFloats()).containsExactly(13, 14);
  }

  @Test
  void firstBytesTellCheckpointsFromSafetensors() throws IOException {
    for (String f : new String[] {"checkpoint.pth", "checkpoint-legacy.pth", "state_dict-fp16.pth"}) {
      assertThat(PthReader.isPth(pth(f))).as(f).isTrue();
    }
    assertThat(PthReader.isPth(SharedFiles.microA("init.safetensors"))).isFalse();
    // A safetensors header length of 0x0280 starts with the byte of a pickle PROTO opcode, 0x80.
    byte[] safetensors = {(byte) 0x80, 0x02, 0, 0, 0, 0, 0, 0, '{', '"'};
    assertThat(PthReader.isPth(java.util.Arrays.copyOf(safetensors, 16))).isFalse();
  }

  /** Float-to-half rounding as torch.Tensor.half does it (round to nearest, ties to even), back as float. */
  static final class Half {
    static float round(float f) {
      int bits = Float.floatToIntBits(f);
      int sign = (bits >>> 16) & 0x8000;
      int exp = ((bits >>> 23) & 0xff) - 127 + 15;
      int mant = bits & 0x7fffff;
      int half;
      if (exp >= 0x1f) {
        half = sign | 0x7c00;
      } else if (exp <= 0) {
        if (exp < -10) {
          half = sign;
        } else {
          mant |= 0x800000;
          int shift = 14 - exp;
          int q = mant >> shift;
          int rem = mant & ((1 << shift) - 1);
          int halfway = 1 << (shift - 1);
          half = sign | (rem > halfway || (rem == halfway && (q & 1) == 1) ? q + 1 : q);
        }
      } else {
        int q = (exp << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        half = sign | (rem > 0x1000 || (rem == 0x1000 && (q & 1) == 1) ? q + 1 : q);
      }
      ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) half);
      return new Tensor(DType.F16, new long[] {1}, b).toFloats()[0];
    }
  }
}
