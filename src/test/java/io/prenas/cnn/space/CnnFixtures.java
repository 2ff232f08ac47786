package io.prenas.cnn.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CNN reference material in {@code ../shared}: the micro fixture space, its configs, and the bignas goldens. */
public final class CnnFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CnnFixtures() {}

  public static Path microA(String file) {
    return SharedFiles.resolve("fixtures/cnn-micro-a").resolve(file);
  }

  public static Path microAYaml() {
    return microA("space.yaml");
  }

  public static CnnSpace microASpace() {
    try {
      return CnnSpace.of(SpaceLoader.load(microAYaml()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CnnSpace bignas() {
    return CnnSpace.of(SearchSpaces.builtIn("bignas-mbv2"));
  }

  public static Path bignasGoldenFile() {
    return SharedFiles.resolve("golden/params-flops-bignas.json");
  }

  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry ({@code id, arch, params, flops}) of the bignas golden file: min/max per resolution, then configs. */
  public static List<JsonNode> bignasGoldenEntries() {
    JsonNode golden = json(bignasGoldenFile());
    List<JsonNode> entries = new ArrayList<>();
    golden.get("min_max_all_resolutions").forEach(entries::add);
    golden.get("configs").forEach(entries::add);
    return entries;
  }

  /** The 40 random configs of {@code params-flops.json} and the 6 subnets of {@code subnets.json} of cnn-micro-a. */
  public static List<JsonNode> microAEntries() {
    List<JsonNode> entries = new ArrayList<>();
    json(microA("params-flops.json")).get("configs").forEach(entries::add);
    json(microA("subnets.json")).get("subnets").forEach(entries::add);
    return entries;
  }
}
