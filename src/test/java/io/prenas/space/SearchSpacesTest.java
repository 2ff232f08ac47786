package io.prenas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.SpaceFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchSpacesTest {

  @ParameterizedTest
  @CsvSource({"autoformer-tiny,T", "autoformer-small,S", "autoformer-base,B"})
  void builtInsAreTheReferenceFilesByteForByte(String name, String letter) throws IOException {
    byte[] reference = Files.readAllBytes(SharedFiles.resolve("reference/search-spaces/supernet-" + letter + ".yaml"));
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SearchSpaces.resourceOf(name))) {
      assertThat(in).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(reference);
    }
    SearchSpace builtIn = SearchSpaces.resolve(name);
    SearchSpace fromFile = SpaceLoader.load(SharedFiles.resolve("reference/search-spaces/supernet-" + letter + ".yaml"));
    assertThat(builtIn.name()).isEqualTo(name);
    assertThat(builtIn).usingRecursiveComparison().ignoringFields("name").isEqualTo(fromFile);
  }

  @Test
  void resolvesAFileNamedAfterItself() {
    SearchSpace space = SearchSpaces.resolve(SpaceFixtures.microAYaml().toString());
    assertThat(space.name()).isEqualTo("micro-a");
    assertThat(SearchSpaces.resolve(SharedFiles.resolve("reference/search-spaces/tiny.yaml").toString()).name())
        .isEqualTo("tiny");
  }

  @Test
  void unknownNameIsASpaceException() {
    assertThatThrownBy(() -> SearchSpaces.resolve("autoformer-huge")).isInstanceOf(SpaceException.class)
        .hasMessageContaining("unknown search space 'autoformer-huge'").hasMessageContaining("autoformer-tiny");
    assertThatThrownBy(() -> SearchSpaces.builtIn("tiny")).isInstanceOf(SpaceException.class);
    assertThat(SearchSpaces.builtInNames()).containsExactly("autoformer-tiny", "autoformer-small", "autoformer-base",
        "bignas-mbv2");
  }
}
