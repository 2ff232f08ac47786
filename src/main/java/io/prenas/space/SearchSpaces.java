package io.prenas.space;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in search spaces and name-or-file lookup. Each registered {@link ModelFamily} brings its built-ins (the
 * ViT family: the reference's AutoFormer files {@code supernet-T/S/B.yaml}, shipped byte-for-byte as classpath
 * resources so that a jar needs no data folder).
 */
public final class SearchSpaces {

  /** Built-in space name to classpath resource, in size order. */
  private static final Map<String, String> BUILT_IN = builtIns();

  private SearchSpaces() {}

  private static Map<String, String> builtIns() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ModelFamily family : ModelFamilies.all()) {
      family.builtInSpaces().forEach((name, resource) -> {
        if (m.putIfAbsent(name, resource) != null) {
          throw new IllegalStateException("two families ship a built-in space named " + name);
        }
      });
    }
    return m;
  }

  /** Names of the built-in spaces. */
  public static List<String> builtInNames() {
    return List.copyOf(BUILT_IN.keySet());
  }

  public static boolean isBuiltIn(String name) {
    return BUILT_IN.containsKey(name);
  }

  /** Classpath resource of a built-in space ({@code spaces/supernet-T.yaml}). */
  public static String resourceOf(String builtInName) {
    String resource = BUILT_IN.get(builtInName);
    if (resource == null) {
      throw new SpaceException("space", "no built-in space named '" + builtInName + "' (built-in: "
          + String.join(", ", BUILT_IN.keySet()) + ")");
    }
    return resource;
  }

  /** Loads a built-in space by name. */
  public static SearchSpace builtIn(String name) {
    String resource = resourceOf(name);
    try (InputStream in = SearchSpaces.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in space resource missing from the classpath: " + resource);
      }
      return SpaceLoader.parse(name, in, "built-in space " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A built-in space when {@code nameOrPath} names one, else the YAML file at that path (named after the file).
   *
   * @throws SpaceException when it is neither a built-in name nor an existing file, or the file is invalid
   * @throws UncheckedIOException when the file cannot be read
   */
  public static SearchSpace resolve(String nameOrPath) {
    if (BUILT_IN.containsKey(nameOrPath)) {
      return builtIn(nameOrPath);
    }
    Path file;
    try {
      file = Path.of(nameOrPath);
    } catch (InvalidPathException e) {
      file = null;
    }
    if (file == null || !Files.isRegularFile(file)) {
      throw new SpaceException("space", "unknown search space '" + nameOrPath + "': not a built-in space ("
          + String.join(", ", BUILT_IN.keySet()) + ") and no such file");
    }
    try {
      return SpaceLoader.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
