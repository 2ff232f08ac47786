package io.prenas.fuzz;

import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import io.prenas.testing.TestSpaces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Space files ({@code TYPE} vit and cnn, flat and layer-wise) with random edits: the loader either returns a space
 * or throws a {@link SpaceException}, from bytes and from text alike; never another exception.
 */
@AddLifecycleHook(FuzzTries.class)
class SpaceYamlFuzzTest {


  @Property(tries = 3000)
  void aMutatedSpaceFileIsASpaceOrASpaceException(@ForAll("spaceFiles") byte[] yaml) throws IOException {
    try {
      SpaceLoader.parse("fuzz", new ByteArrayInputStream(yaml), "fuzz.yaml");
    } catch (SpaceException refused) {
      // the one way to refuse a file
    }
    try {
      SpaceLoader.parse("fuzz", new String(yaml, StandardCharsets.UTF_8));
    } catch (SpaceException refused) {
      // the same over HTTP, where the body arrives as text
    }
  }

  @Provide
  Arbitrary<byte[]> spaceFiles() {
    return Mutations.of(seeds(), Mutations.utf8(SpaceYamlTokens.TOKENS));
  }

  static List<Mutations.Seed> seeds() {
    return List.of(
        Mutations.Seed.text("micro", TestSpaces.MICRO_YAML),
        Mutations.Seed.text("autoformer-tiny", builtIn("autoformer-tiny")),
        Mutations.Seed.text("bignas-mbv2", builtIn("bignas-mbv2")),
        shared("reference/search-spaces/tiny.yaml"),
        shared("fixtures/cnn-micro-a/space.yaml"));
  }

  private static String builtIn(String name) {
    try (InputStream in = SearchSpaces.class.getClassLoader().getResourceAsStream(SearchSpaces.resourceOf(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Mutations.Seed shared(String relative) {
    try {
      return new Mutations.Seed(relative, Files.readAllBytes(SharedFiles.resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
