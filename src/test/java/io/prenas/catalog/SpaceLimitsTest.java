package io.prenas.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Registration limits: real spaces pass the defaults, absurd ones are refused naming the bound, cheaply. */
class SpaceLimitsTest {

  static final SpaceLimits DEFAULTS = new SpaceLimits(64, 16384, 2_000_000_000L, 1024, new BigDecimal("1e24"));

  static String vit(int embedDim, int depth) {
    return "SUPERNET: {MLP_RATIO: 4.0, NUM_HEADS: 4, EMBED_DIM: " + embedDim + ", DEPTH: " + depth + "}\n"
        + "SEARCH_SPACE: {MLP_RATIO: [3.5, 4.0], NUM_HEADS: [3, 4], DEPTH: [" + depth + "], EMBED_DIM: [" + embedDim
        + "]}\n";
  }

  @Test
  void everyBuiltInSpacePassesTheDefaults() {
    for (String name : SearchSpaces.builtInNames()) {
      SearchSpace space = SearchSpaces.builtIn(name);
      assertThatCode(() -> DEFAULTS.check(space)).as(name).doesNotThrowAnyException();
    }
    SearchSpace base = SearchSpaces.builtIn("autoformer-base");
    assertThat(base.supernetSize().depth()).isEqualTo(16);
    assertThat(base.supernetSize().parameters()).isBetween(5e7, 1e8);
  }

  @Test
  void anAbsurdDepthIsRefusedBeforeTheArchitecturesAreCounted() {
    SearchSpace deep = SpaceLoader.parse("deep", vit(256, 100_000));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> DEFAULTS.check(deep)).isInstanceOf(SpaceLimitException.class)
        .hasMessageContaining("supernet depth 100000 is above the limit of 64")
        .hasMessageContaining("prenas.spaces.limits.max-depth")
        .extracting(e -> ((SpaceLimitException) e).bound()).isEqualTo("max-depth");
    assertThat(System.nanoTime() - t0).as("no count of (4)^100000 architectures").isLessThan(1_000_000_000L);
  }

  @Test
  void anAbsurdWidthIsRefusedNamingItsBound() {
    SearchSpace wide = SpaceLoader.parse("wide", vit(1_000_000_000, 12));
    assertThatThrownBy(() -> DEFAULTS.check(wide)).isInstanceOf(SpaceLimitException.class)
        .hasMessageContaining("prenas.spaces.limits.max-width");
  }

  @Test
  void parametersImageSizeAndArchitectureCountHaveTheirOwnBounds() {
    SearchSpace tiny = SearchSpaces.builtIn("autoformer-tiny");
    assertThatThrownBy(() -> new SpaceLimits(64, 16384, 1_000_000, 1024, new BigDecimal("1e24")).check(tiny))
        .hasMessageContaining("max-supernet-parameters");
    assertThatThrownBy(() -> new SpaceLimits(64, 16384, 2_000_000_000L, 128, new BigDecimal("1e24")).check(tiny))
        .hasMessageContaining("image size 224 is above the limit of 128");
    assertThatThrownBy(() -> new SpaceLimits(64, 16384, 2_000_000_000L, 1024, new BigDecimal("1000")).check(tiny))
        .hasMessageContaining("architectures, above the limit of 1000")
        .hasMessageContaining("max-architectures");
  }
}
