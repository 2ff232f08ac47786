package io.prenas.fuzz;

import io.prenas.space.ArchitectureJson;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import io.prenas.testing.TestSpaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Architecture JSON (a config, a list, a preferred file) of the ViT and CNN families with random edits, read against a
 * ViT space and a CNN space: every input is architectures of the space or a {@link SpaceException}.
 */
@AddLifecycleHook(FuzzTries.class)
class ArchitectureJsonFuzzTest {

  static final SearchSpace VIT = SpaceLoader.parse("micro", TestSpaces.MICRO_YAML);
  static final SearchSpace CNN = SearchSpaces.builtIn("bignas-mbv2");
  static final List<String> TOKENS = List.of("\"layer_num\":", "\"embed_dim\":", "\"mlp_ratio\":", "\"num_heads\":",
      "\"resolution\":", "\"stem\":", "\"stages\":", "\"kernels\":", "\"width\":", "\"depth\":", "\"head\":", "[",
      "]", "{", "}", ",", "null", "true", "-1", "0", "3.5", "1e400", "-0.0", "NaN", "99999999999999999999",
      "2147483648", "[[[[", "\"\\u0000\"", "\"\\ud800\"", "\"0.875\":");

  @Property(tries = 3000)
  void mutatedArchitecturesAreArchitecturesOrASpaceException(@ForAll("architectureFiles") byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    for (SearchSpace space : List.of(VIT, CNN)) {
      try {
        ArchitectureJson.parse(text, space);
      } catch (SpaceException refused) {
        // the one way to refuse an architecture
      }
    }
  }

  @Provide
  Arbitrary<byte[]> architectureFiles() {
    return Mutations.of(seeds(), Mutations.utf8(TOKENS));
  }

  static List<Mutations.Seed> seeds() {
    SplittableRandom random = new SplittableRandom(7);
    return List.of(
        Mutations.Seed.text("vit-list", ArchitectureJson.write(
            IntStream.range(0, 3).mapToObj(i -> VIT.sample(random)).toList(), VIT)),
        Mutations.Seed.text("vit-one", ArchitectureJson.write(List.of(VIT.maxArchitecture()), VIT)
            .replaceFirst("^\\[", "").replaceFirst("]\\s*$", "")),
        Mutations.Seed.text("cnn-list", ArchitectureJson.write(
            IntStream.range(0, 2).mapToObj(i -> CNN.sample(random)).toList(), CNN)),
        sharedSeed("micro-a selection.json"));
  }

  private static Mutations.Seed sharedSeed(String name) {
    try {
      return new Mutations.Seed(name, Files.readAllBytes(SharedFiles.microA("selection.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
