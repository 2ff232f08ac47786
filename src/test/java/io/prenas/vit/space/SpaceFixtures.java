package io.prenas.vit.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import io.prenas.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared test material for the space package: the micro-a space, golden values and fixture files. */
public final class SpaceFixtures {

  public static final ObjectMapper JSON = new ObjectMapper();

  /** A ViT space, for reading and writing ViT architecture files (any ViT space reads the same format). */
  public static final VitSpace VIT = VitSpace.of(SearchSpaces.builtIn("autoformer-tiny"));

  private SpaceFixtures() {}

  /** The micro-a YAML test resource (equivalent to fixtures/micro-a/space.json). */
  public static Path microAYaml() {
    try {
      return Path.of(SpaceFixtures.class.getClassLoader().getResource("spaces/micro-a.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static VitSpace microA() {
    try {
      return VitSpace.of(SpaceLoader.load(microAYaml()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The configs of golden/params-flops.json. */
  public static List<JsonNode> goldenConfigs() {
    List<JsonNode> configs = new ArrayList<>();
    readJson(SharedFiles.resolve("golden/params-flops.json")).get("configs").forEach(configs::add);
    return configs;
  }

  /** A golden entry as an architecture (its embed_dim is a number there). */
  public static VitArchitecture goldenArchitecture(JsonNode c) {
    return VitArchitectureJson.readConfig(c);
  }

  /** micro-a enumeration.csv as a list of column-name to value maps, in file order. */
  public static List<Map<String, String>> microAEnumeration() {
    try {
      List<String> lines = Files.readAllLines(SharedFiles.microA("enumeration.csv"));
      String[] header = lines.get(0).split(",");
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An enumeration.csv row as an architecture. */
  public static VitArchitecture csvArchitecture(Map<String, String> row) {
    int e = Integer.parseInt(row.get("embed_dim"));
    int d = Integer.parseInt(row.get("depth"));
    List<Double> ratios = new ArrayList<>();
    for (String r : row.get("mlp_ratio").split(" ")) {
      ratios.add(Double.parseDouble(r));
    }
    List<Integer> heads = new ArrayList<>();
    for (String h : row.get("num_heads").split(" ")) {
      heads.add(Integer.parseInt(h));
    }
    return new VitArchitecture(e, d, ratios, heads);
  }

  /** micro-a block_scores.json for the given width. */
  public static BlockScores microABlockScores(int embedDim) {
    JsonNode root = readJson(SharedFiles.microA("block_scores.json"));
    return BlockScores.fromKeyed(embedDim, arrays(root.get("head_scores")), arrays(root.get("mlp_scores")));
  }

  private static Map<String, double[]> arrays(JsonNode object) {
    Map<String, double[]> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> {
      double[] values = new double[e.getValue().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = e.getValue().get(i).doubleValue();
      }
      map.put(e.getKey(), values);
    });
    return map;
  }
}
