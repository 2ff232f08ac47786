package io.prenas.tensorio.pth;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.fuzz.AllocationMeter;
import io.prenas.fuzz.FuzzTries;
import io.prenas.fuzz.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * PyTorch checkpoints with random edits, in both layouts: the pickle mutated and then packed (so that the unpickler
 * sees well-formed archives with hostile pickles), and the packed file mutated as a whole (archive and storages too).
 * The reader returns a state dict or throws {@link PthException}, and stays inside its decode budget.
 */
@AddLifecycleHook(FuzzTries.class)
class PthFuzzTest {

  /** The reader's own budget (4 bytes per file byte + 64 MiB) plus what parsing the pickle itself costs. */
  static final long ALLOCATION_LIMIT_SLACK = 96L << 20;
  static final List<String> TOKENS = List.of("ctorch._utils\n_rebuild_tensor_v2\n", "ctorch\nFloatStorage\n",
      "cposix\nsystem\n", "ccollections\nOrderedDict\n", "(", "t", ")", "R", "Q", "q\u0001", "h\u0001", "}", "]",
      "e", "s", "u", ".", "\u0080\u0002", "\u0088", "\u0089", "J\u00ff\u00ff\u00ff\u007f", "K\u00ff",
      "\u008a\u0008\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f", "X\u00ff\u00ff\u00ff\u007f", "0", "1", "2");

  private enum Layout { ZIP, LEGACY }

  private record Checkpoint(Layout layout, byte[] pickle, boolean mutateWholeFile) {}

  @Property(tries = 1000)
  void aMutatedCheckpointIsAStateDictOrAPthException(@ForAll("checkpoints") Checkpoint c,
      @ForAll("wholeFileEdits") List<Mutations.Edit> fileEdits) throws Exception {
    Path dir = Files.createTempDirectory("pth-fuzz");
    try {
      Path file = pack(c.layout(), c.pickle(), dir.resolve("fuzz.pth"));
      if (c.mutateWholeFile()) {
        byte[] bytes = Files.readAllBytes(file);
        for (Mutations.Edit e : fileEdits) {
          bytes = e.apply(bytes);
        }
        Files.write(file, bytes);
      }
      long size = Files.size(file);
      long allocated = AllocationMeter.allocatedBy(() -> PthReader.read(file, null), PthException.class);
      assertThat(allocated).as("bytes allocated for a %d-byte checkpoint", size)
          .isLessThan(4 * size + ALLOCATION_LIMIT_SLACK);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  @Provide
  Arbitrary<Checkpoint> checkpoints() {
    return net.jqwik.api.Combinators.combine(Arbitraries.of(Layout.class),
        Mutations.of(List.of(new Mutations.Seed("state dict", stateDictPickle())), Mutations.latin1(TOKENS)),
        Arbitraries.of(false, false, true)).as(Checkpoint::new);
  }

  @Provide
  Arbitrary<List<Mutations.Edit>> wholeFileEdits() {
    return Mutations.editList(Mutations.latin1(
        List.of("PK\u0003\u0004", "PK\u0001\u0002", "archive/data.pkl", "\u00ff\u00ff\u00ff\u00ff")));
  }

  /** A state dict of views on one float storage, a long tensor and a parameter: the shapes real checkpoints have. */
  static byte[] stateDictPickle() {
    PickleBytes p = PickleBytes.protocol2();
    Runnable first = () -> p.storage("FloatStorage", "0", 12).op('q').op(1);
    Runnable again = () -> p.op('h').op(1);
    p.op('}').mark();
    p.str("blocks.0.weight").rebuildTensor(first, 2, new long[] {2, 3}, new long[] {3, 1});
    p.str("blocks.0.bias").rebuildTensor(again, 0, new long[] {3}, new long[] {1});
    p.str("steps").rebuildTensor(() -> p.storage("LongStorage", "1", 1), 0, new long[] {}, new long[] {});
    p.op('u').stop();
    return p.bytes();
  }

  static Map<String, byte[]> storages() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    float[] values = new float[12];
    for (int i = 0; i < values.length; i++) {
      values[i] = i - 5.5f;
    }
    s.put("0", PickleBytes.floats(values));
    s.put("1", new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
    return s;
  }

  private static Path pack(Layout layout, byte[] pickle, Path file) {
    try {
      return layout == Layout.ZIP ? PickleBytes.zip(file, pickle, storages())
          : PickleBytes.legacy(file, pickle, storages(), 4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
