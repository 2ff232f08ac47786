package io.prenas.space;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The registered model families, found once through {@link ServiceLoader}: registering a family is one line in
 * {@code META-INF/services/io.prenas.space.ModelFamily}, and no package of the pipeline names a family's classes.
 */
public final class ModelFamilies {

  /** The family of a space file without a {@code TYPE} key: the reference's ViT format. */
  public static final String DEFAULT_TYPE = "vit";

  private static final Map<String, ModelFamily> BY_TYPE = load();

  private ModelFamilies() {}

  private static Map<String, ModelFamily> load() {
    Map<String, ModelFamily> byType = new LinkedHashMap<>();
    for (ModelFamily family : ServiceLoader.load(ModelFamily.class, ModelFamily.class.getClassLoader())) {
      ModelFamily previous = byType.putIfAbsent(family.type(), family);
      if (previous != null) {
        throw new IllegalStateException("two model families of type '" + family.type() + "': "
            + previous.getClass().getName() + " and " + family.getClass().getName());
      }
    }
    if (byType.isEmpty()) {
      throw new IllegalStateException("no model family registered (META-INF/services/" + ModelFamily.class.getName()
          + " is missing from the classpath)");
    }
    return java.util.Collections.unmodifiableMap(byType);
  }

  /** The registered families, in registration order. */
  public static List<ModelFamily> all() {
    return List.copyOf(BY_TYPE.values());
  }

  /** The registered family types. */
  public static List<String> types() {
    return all().stream().map(ModelFamily::type).toList();
  }

  public static Optional<ModelFamily> byType(String type) {
    return Optional.ofNullable(BY_TYPE.get(type));
  }

  /** The family of a space. */
  public static ModelFamily of(SearchSpace space) {
    return byType(space.family()).orElseThrow(() -> new IllegalStateException("space " + space.name()
        + " is of family '" + space.family() + "', which is not registered"));
  }

  /**
   * The family's implementation of an engine port for a space.
   *
   * @throws SpaceException when the space's family does not implement the port
   */
  public static <T> T port(SearchSpace space, Class<T> port) {
    return of(space).port(port).orElseThrow(() -> new SpaceException("space", "the " + space.family()
        + " family of space " + space.name() + " has no " + port.getSimpleName()));
  }
}
