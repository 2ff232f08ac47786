package io.prenas.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.SafetensorsException;
import io.prenas.tensorio.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Safetensors files with random edits to the header and the data, truncated, and with a random header length: the
 * reader returns tensors or throws {@link SafetensorsException}, and allocates in proportion to the input, never to
 * the sizes the file declares (a header that claims gigabytes costs nothing). Read from memory (as uploads are
 * checked) and from a file.
 */
@AddLifecycleHook(FuzzTries.class)
class SafetensorsFuzzTest {

  /** Header JSON, tensor copies and the reader's own buffers: generous, yet far below any declared size. */
  static final long ALLOCATION_PER_INPUT_BYTE = 64;
  static final long ALLOCATION_SLACK = 8L << 20;
  static final List<String> TOKENS = List.of("\"dtype\":", "\"shape\":", "\"data_offsets\":", "\"__metadata__\":",
      "\"F32\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"BOOL\"", "\"X9\"", "[", "]", "{", "}", ",", ":", "-1", "0",
      "4294967296", "9223372036854775807", "99999999999999999999", "1e3", "null", "[[[[", "\"\\u0000\"");

  @Property(tries = 3000)
  void aMutatedFileIsTensorsOrASafetensorsException(@ForAll("files") byte[] file) throws Exception {
    long allocated = AllocationMeter.allocatedBy(
        () -> Safetensors.parse("fuzz", ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN)),
        SafetensorsException.class);
    assertThat(allocated).as("bytes allocated for a %d-byte input", file.length)
        .isLessThan(ALLOCATION_PER_INPUT_BYTE * file.length + ALLOCATION_SLACK);
  }

  @Property(tries = 300)
  void aMutatedFileOnDiskIsTensorsOrASafetensorsException(@ForAll("files") byte[] file) throws Exception {
    Path path = Files.createTempFile("fuzz", ".safetensors");
    try {
      Files.write(path, file);
      AllocationMeter.allocatedBy(() -> Safetensors.read(path), SafetensorsException.class);
    } finally {
      Files.delete(path);
    }
  }

  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<byte[]> mutated = Mutations.of(seeds(), Mutations.utf8(TOKENS));
    // The first 8 bytes are the header length: replaced by any number, they point anywhere (or far past the end).
    Arbitrary<byte[]> lyingLength = Combinators.combine(mutated, Arbitraries.longs()).as((bytes, length) -> {
      if (bytes.length >= 8) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
      }
      return bytes;
    });
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, mutated), net.jqwik.api.Tuple.of(1, lyingLength));
  }

  static List<Mutations.Seed> seeds() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("blocks.0.attn.qkv.weight", Tensor.ofFloats(new long[] {3, 2}, new float[] {1, -2, 3.5f, 0, 7, 8}));
    tensors.put("head.bias", Tensor.ofFloats(new long[] {2}, new float[] {0.25f, -1}));
    tensors.put("steps", Tensor.ofLongs(new long[] {}, new long[] {42}));
    Map<String, Tensor> one = Map.of("x", Tensor.ofFloats(new long[] {1, 1}, new float[] {1}));
    return List.of(
        new Mutations.Seed("three tensors with metadata", encode(tensors, Map.of("format", "pt", "epoch", "3"))),
        new Mutations.Seed("one tensor", encode(one, Map.of())));
  }

  private static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Safetensors.writeTo(out, tensors, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
