package io.prenas.cnn.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SpaceException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The architecture JSON (spec §2) and the canonical id (spec §3): round trips, canonical form, errors by field. */
class CnnArchitectureJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void goldenArchitecturesRoundTripToTheirCanonicalJsonAndId() throws Exception {
    for (JsonNode entry : CnnFixtures.bignasGoldenEntries()) {
      JsonNode golden = entry.get("arch");
      CnnArchitecture arch = CnnArchitectureJson.read(golden);
      // Canonical JSON: compact, keys in the spec's order (the golden objects are written in that order).
      assertThat(CnnArchitectureJson.canonical(arch)).isEqualTo(JSON.writeValueAsString(golden));
      assertThat(CnnArchitectureJson.canonical(arch)).doesNotContain(" ").startsWith("{\"resolution\":");
      assertThat(CnnArchitectureJson.read(JSON.readTree(CnnArchitectureJson.canonical(arch)))).isEqualTo(arch);
      assertThat(CnnArchitectureId.parse(entry.get("id").asText())).isEqualTo(arch);
      assertThat(CnnArchitectureId.parse(arch.id()).id()).isEqualTo(arch.id());
    }
  }

  @Test
  void theSpecsMinAndMaxIds() {
    CnnSpace space = CnnFixtures.bignas();
    assertThat(space.maxArchitecture().id())
        .isEqualTo("r320-s40-24k33-32k333-48k555-88k5555-128k555555-216k555555-352k55-h1408");
    assertThat(space.withImageSize(224).minArchitecture().id())
        .isEqualTo("r224-s32-16k3-24k33-40k33-80k33-112k33-192k33-320k3-h1280");
  }

  @Test
  void theGenericReaderTakesAnArrayOrOneObject() {
    CnnSpace space = CnnFixtures.microASpace();
    String one = CnnArchitectureJson.canonical(space.maxArchitecture());
    List<ArchitectureEntry> single = ArchitectureJson.parse(one, space);
    assertThat(single).hasSize(1);
    assertThat(single.get(0).architecture()).isEqualTo(space.maxArchitecture());
    String two = ArchitectureJson.write(List.of(space.minArchitecture(), space.maxArchitecture()), space);
    assertThat(ArchitectureJson.parse(two, space)).extracting(ArchitectureEntry::architecture)
        .containsExactly(space.minArchitecture(), space.maxArchitecture());
  }

  /**
   * A preferred-architecture file as {@code select} writes it (each config followed by num_params, score, params,
   * flops, bins and id) reads back for training and evaluation, while a bare config still refuses those keys.
   */
  @Test
  void aPreferredFileFromSelectReadsBack() {
    CnnSpace space = CnnFixtures.microASpace();
    String max = CnnArchitectureJson.canonical(space.maxArchitecture());
    String entry = max.substring(0, max.length() - 1) + ",\"num_params\":0.5,\"score\":3.25,\"params\":500000,"
        + "\"flops\":4000000.0,\"bin_lower\":0.0035,\"bin_upper\":0.004,\"bin_by\":\"flops\","
        + "\"isomer_group_size\":1,\"id\":\"" + space.maxArchitecture().id() + "\"}";
    List<ArchitectureEntry> read = ArchitectureJson.parse("{\"4.0\":[" + entry + "]}", space);
    assertThat(read).extracting(ArchitectureEntry::architecture).containsExactly(space.maxArchitecture());
    assertThat(read.get(0).binKey()).isEqualTo("4.0");
    assertThat(catchThrowable(() -> ArchitectureJson.parse("[" + entry + "]", space)))
        .isInstanceOf(SpaceException.class).hasMessageContaining("num_params: unknown key");
  }

  @Test
  void malformedConfigsNameTheField() {
    String ok = "{\"resolution\":32,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,\"kernels\":[3]},"
        + "{\"width\":16,\"depth\":2,\"kernels\":[3,5]},{\"width\":24,\"depth\":1,\"kernels\":[3]}],\"head\":32}";
    assertThat(keyOf(ok.replace("\"head\":32", "\"head\":32,\"score\":1"))).isEqualTo("score");
    assertThat(keyOf(ok.replace("\"width\":16,", "\"widht\":16,"))).isEqualTo("stages[1].widht");
    assertThat(keyOf(ok.replace("\"kernels\":[3,5]", "\"kernels\":[3]"))).isEqualTo("stages[1].kernels");
    assertThat(keyOf(ok.replace("\"kernels\":[3,5]", "\"kernels\":[3,4]"))).isEqualTo("stages[1].kernels[1]");
    assertThat(keyOf(ok.replace("\"stem\":8,", ""))).isEqualTo("stem");
    assertThat(keyOf(ok.replace("\"resolution\":32", "\"resolution\":\"32\""))).isEqualTo("resolution");
  }

  @Test
  void architecturesOutsideTheSpaceNameTheField() {
    CnnSpace space = CnnFixtures.microASpace();
    String ok = "{\"resolution\":32,\"stem\":8,\"stages\":[{\"width\":8,\"depth\":1,\"kernels\":[3]},"
        + "{\"width\":16,\"depth\":2,\"kernels\":[3,5]},{\"width\":24,\"depth\":1,\"kernels\":[3]}],\"head\":32}";
    space.validate(read(ok));
    assertThat(validationKey(space, ok.replace("\"resolution\":32", "\"resolution\":36"))).isEqualTo("resolution");
    assertThat(validationKey(space, ok.replace("[3,5]", "[3,7]"))).isEqualTo("stages[1].kernels[1]");
    assertThat(validationKey(space, ok.replace("\"width\":24,\"depth\":1,\"kernels\":[3]",
        "\"width\":24,\"depth\":4,\"kernels\":[3,3,3,3]"))).isEqualTo("stages[2].depth");
    assertThat(validationKey(space, ok.replace(",{\"width\":24,\"depth\":1,\"kernels\":[3]}", "")))
        .isEqualTo("stages");
    assertThatThrownBy(() -> space.validate(CnnFixtures.bignas().maxArchitecture()))
        .hasMessageContaining("resolution: 320 is not one of [32, 40]");
  }

  @Test
  void badIdsAreRefusedNamingTheId() {
    for (String bad : List.of("r224-s32-h1280", "x224-s32-16k3-h1280", "r224-s32-16k4-h1280", "r224-s32-16-h1280",
        "r224-s32-16k3-h")) {
      assertThatThrownBy(() -> CnnArchitectureId.parse(bad)).as(bad).isInstanceOf(SpaceException.class)
          .hasMessageStartingWith("id: ");
    }
  }

  private static CnnArchitecture read(String json) {
    try {
      return CnnArchitectureJson.read(JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String keyOf(String json) {
    Throwable t = catchThrowable(() -> read(json));
    assertThat(t).as(json).isInstanceOf(SpaceException.class);
    return ((SpaceException) t).key();
  }

  private static String validationKey(CnnSpace space, String json) {
    Throwable t = catchThrowable(() -> space.validate(read(json)));
    assertThat(t).as(json).isInstanceOf(SpaceException.class);
    return ((SpaceException) t).key();
  }
}
