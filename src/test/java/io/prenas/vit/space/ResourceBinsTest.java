package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.Resource;
import io.prenas.space.ResourceBins;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceBinsTest {

  /** The micro-a bin table of space.json, and each enumeration.csv row's bin index and key. */
  @Test
  void microABinsMatchTheFixture() {
    JsonNode search = SpaceFixtures.readJson(SharedFiles.microA("space.json")).get("search");
    ResourceBins bins = ResourceBins.of(Resource.PARAMS, search.get("min_param_limits").asDouble(),
        search.get("param_limits").asDouble(), search.get("param_interval").asDouble());
    JsonNode table = search.get("bins");
    assertThat(bins.size()).isEqualTo(table.size());
    VitSpace space = SpaceFixtures.microA();
    List<Map<String, String>> rows = SpaceFixtures.microAEnumeration();
    int[] counts = new int[bins.size()];
    int below = 0;
    int above = 0;
    for (Map<String, String> row : rows) {
      VitArchitecture arch = SpaceFixtures.csvArchitecture(row);
      int index = bins.binIndexOf(arch, space);
      assertThat(index).as("row " + row.get("index")).isEqualTo(Integer.parseInt(row.get("bin_index")));
      if (index >= 0) {
        assertThat(bins.key(index)).isEqualTo(row.get("bin_key"));
        counts[index]++;
      } else if (Resource.PARAMS.scaledMeasure(arch, space) < bins.lo()) {
        below++;
      } else {
        above++;
      }
    }
    for (JsonNode bin : table) {
      ResourceBins.Bin b = bins.bin(bin.get("index").asInt());
      assertThat(b.lower()).isEqualTo(bin.get("lo_M").asDouble());
      assertThat(b.upper()).isEqualTo(bin.get("hi_M").asDouble());
      assertThat(b.key()).isEqualTo(bin.get("key").asText());
      assertThat(counts[b.index()]).isEqualTo(bin.get("count").asInt());
    }
    assertThat(below).isEqualTo(search.get("dropped_below_min").asInt());
    assertThat(above).isEqualTo(search.get("dropped_at_or_above_limit").asInt());
  }

  /** G8, with the preferred-file keys read from the reference files. */
  @Test
  void g8KeysAndEdges() {
    ResourceBins tiny = ResourceBins.of(Resource.PARAMS, 5, 12, 1);
    assertThat(tiny.bins()).extracting(ResourceBins.Bin::key)
        .containsExactly("6.0", "7.0", "8.0", "9.0", "10.0", "11.0", "12.0");
    assertThat(tiny.binIndex(5.99476)).isZero();
    assertThat(tiny.key(tiny.binIndex(5.99476))).isEqualTo("6.0");
    assertThat(tiny.binIndex(12.0)).isEqualTo(-1);
    assertThat(tiny.binIndex(4.999)).isEqualTo(-1);
    assertThat(ResourceBins.of(Resource.PARAMS, 13, 33, 5).bins()).extracting(ResourceBins.Bin::key)
        .containsExactlyElementsOf(keysOf("reference/small.json"));
    assertThat(ResourceBins.of(Resource.PARAMS, 30, 70, 12).bins()).extracting(ResourceBins.Bin::key)
        .containsExactlyElementsOf(keysOf("reference/base.json"));
  }

  @Test
  void valuesPastTheLastBinButBelowHiAreDropped() {
    ResourceBins base = ResourceBins.of(Resource.PARAMS, 30, 70, 12); // bins end at 66
    assertThat(base.size()).isEqualTo(3);
    assertThat(base.binIndex(65.9)).isEqualTo(2);
    assertThat(base.binIndex(66.0)).isEqualTo(-1);
    assertThat(base.binIndex(69.9)).isEqualTo(-1);
  }

  @Test
  void edgesAreRepeatedFloatAdditions() {
    ResourceBins bins = ResourceBins.of(Resource.PARAMS, 0, 1, 0.1);
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004 in floats, and the key says so, as Python's str() does.
    assertThat(bins.bin(2).upper()).isEqualTo(0.1 + 0.1 + 0.1);
    assertThat(bins.key(2)).isEqualTo("0.30000000000000004");
    // The last edge, 0.9999999999999999, is within 1e-6 of hi: 10 bins.
    assertThat(bins.size()).isEqualTo(10);
  }

  /** Spec 4.5 per-bin counts (only in the spec text), from group enumeration and the param counter. */
  @Test
  void perBinCountsOfTheBuiltInSpaces() {
    assertThat(countPerBin("autoformer-tiny", 5, 12, 1)).containsExactly(133, 471, 416, 424, 281, 45, 0);
    assertThat(countPerBin("autoformer-small", 13, 33, 5)).containsExactly(15_146, 14_192, 13_198, 15_108);
    assertThat(countPerBin("autoformer-base", 30, 70, 12)).containsExactly(1, 6_129, 8_506);
  }

  @Test
  void nonEmptyTinyBinsAreThePreferredFileKeys() {
    ResourceBins bins = ResourceBins.of(Resource.PARAMS, 5, 12, 1);
    List<Integer> counts = countPerBin("autoformer-tiny", 5, 12, 1);
    List<String> nonEmpty = new ArrayList<>();
    for (int i = 0; i < bins.size(); i++) {
      if (counts.get(i) > 0) {
        nonEmpty.add(bins.key(i));
      }
    }
    assertThat(nonEmpty).containsExactlyElementsOf(keysOf("reference/tiny.json"));
  }

  @Test
  void flopsBinsUseGigaFlops() {
    VitSpace tiny = VitSpace.of(SearchSpaces.builtIn("autoformer-tiny"));
    JsonNode ti = ComplexityTest.golden("autoformer-tiny", "preferred[6.0]");
    ResourceBins bins = ResourceBins.of(Resource.FLOPS, 1.0, 2.5, 0.5);
    assertThat(bins.binIndexOfRaw(ti.get("flops").asDouble())).isZero(); // 1.38 G
    assertThat(bins.binIndexOf(SpaceFixtures.goldenArchitecture(ti), tiny)).isZero();
    assertThat(Resource.FLOPS.scale(2.5e9)).isEqualTo(2.5);
    assertThat(bins.resource()).isEqualTo(Resource.FLOPS);
  }

  @Test
  void rejectsInvalidBounds() {
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 5, 12, 0)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("eps");
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 5, 12, -1)).isInstanceOf(SpaceException.class);
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 12, 5, 1)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("below hi");
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 5, 5, 1)).isInstanceOf(SpaceException.class);
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, Double.NaN, 5, 1)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 0, Double.POSITIVE_INFINITY, 1))
        .isInstanceOf(SpaceException.class);
    assertThatThrownBy(() -> ResourceBins.of(Resource.PARAMS, 0, 1, 1e-12)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("more than");
  }

  private static List<Integer> countPerBin(String spaceName, double lo, double hi, double eps) {
    VitSpace space = VitSpace.of(SearchSpaces.builtIn(spaceName));
    ResourceBins bins = ResourceBins.of(Resource.PARAMS, lo, hi, eps);
    int[] counts = new int[bins.size()];
    for (IsomerGroup group : IsomerEnumerator.groups(space)) {
      int index = bins.binIndexOf(group.representative(space), space);
      if (index >= 0) {
        counts[index]++;
      }
    }
    List<Integer> list = new ArrayList<>();
    for (int c : counts) {
      list.add(c);
    }
    return list;
  }

  private static List<String> keysOf(String relative) {
    List<String> keys = new ArrayList<>();
    SpaceFixtures.readJson(SharedFiles.resolve(relative)).fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
