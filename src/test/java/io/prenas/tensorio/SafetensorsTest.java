package io.prenas.tensorio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.testing.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir
  Path tmp;

  @Test
  void readsReferenceStateDictInOrderWithShapes() throws Exception {
    Safetensors.Contents c = Safetensors.read(SharedFiles.microA("init.safetensors"));
    assertThat(c.tensors()).hasSize(72);
    assertThat(c.tensors().keySet().iterator().next()).isEqualTo("pos_embed");
    Tensor qkv = c.require("blocks.0.attn.qkv.weight");
    assertThat(qkv.shape()).containsExactly(384, 128);
    assertThat(qkv.dtype()).isEqualTo(DType.F32);
    long total = c.tensors().values().stream().mapToLong(Tensor::numel).sum();
    assertThat(total).isEqualTo(926_090L);
    // the reference's LayerNorm init: weight 1
    float[] ln = c.require("norm.weight").toFloats();
    assertThat(ln).containsOnly(1f);
  }

  @Test
  void readsInt64Labels() throws Exception {
    Tensor y = Safetensors.read(SharedFiles.microA("batch.safetensors")).require("y");
    assertThat(y.toLongs()).containsExactly(5, 7, 2, 6, 2, 5, 3, 7);
  }

  @Test
  void writeThenReadRoundTripsExactly() throws Exception {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("a", Tensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.NaN}));
    in.put("b", Tensor.ofLongs(new long[] {2}, new long[] {7, -1}));
    Path f = tmp.resolve("x.safetensors");
    Safetensors.write(f, in, Map.of("format", "pt"));
    Safetensors.Contents back = Safetensors.read(f);
    assertThat(back.tensors()).isEqualTo(in);
    assertThat(back.metadata()).containsEntry("format", "pt");
    assertThat(Files.size(f)).isEqualTo(Safetensors.encodedSize(in, Map.of("format", "pt")));
    long headerLen = ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLen % 8).isZero();
    try (var s = Files.list(tmp)) {
      assertThat(s).containsExactly(f); // no temp file left behind
    }
  }

  @Test
  void truncatedFileIsRejectedNamingTheTensor() throws Exception {
    byte[] full = Files.readAllBytes(SharedFiles.microA("batch.safetensors"));
    byte[] cut = Arrays.copyOf(full, full.length - 100);
    assertThatThrownBy(() -> Safetensors.parse("upload", ByteBuffer.wrap(cut)))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("upload");
  }

  @Test
  void garbageIsRejected() {
    assertThatThrownBy(() -> Safetensors.parse("junk", ByteBuffer.wrap("hello world, not tensors".getBytes())))
        .isInstanceOf(SafetensorsException.class).hasMessageContaining("header length");
    assertThatThrownBy(() -> Safetensors.parse("tiny", ByteBuffer.wrap(new byte[3])))
        .isInstanceOf(SafetensorsException.class);
  }

  @Test
  void shapeThatDisagreesWithOffsetsIsRejected() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length()).array());
    out.write(header.getBytes());
    out.write(new byte[8]);
    assertThatThrownBy(() -> Safetensors.parse("bad", ByteBuffer.wrap(out.toByteArray())))
        .isInstanceOf(SafetensorsException.class).hasMessageContaining("'w'");
  }
}
