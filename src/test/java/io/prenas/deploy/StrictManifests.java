package io.prenas.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * Rendered manifests read into the Kubernetes API model (fabric8), strictly: every document must be a known
 * apiVersion/kind, every value of the right type, and no field unknown to the schema. The model keeps unknown
 * fields in {@code additionalProperties} instead of failing, so those maps are walked and must all be empty.
 */
final class StrictManifests {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private StrictManifests() {}

  /** Parses a multi-document YAML stream into typed resources; throws on the first violation. */
  static List<HasMetadata> read(String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(yaml)) {
      if (doc == null) {
        continue;
      }
      KubernetesResource resource = MAPPER.convertValue(doc, KubernetesResource.class);
      if (!(resource instanceof HasMetadata typed) || resource instanceof GenericKubernetesResource) {
        throw new IllegalArgumentException("not a known Kubernetes kind: " + describe(doc));
      }
      List<String> unknown = new ArrayList<>();
      walk(resource, typed.getKind() + "/" + typed.getMetadata().getName(), unknown);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("fields unknown to the Kubernetes schema: " + unknown);
      }
      resources.add(typed);
    }
    return resources;
  }

  private static String describe(Object doc) {
    return doc instanceof Map<?, ?> m ? m.get("apiVersion") + " " + m.get("kind") : String.valueOf(doc);
  }

  private static void walk(Object node, String path, List<String> unknown) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", unknown));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(getter.toString(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + " " + extra.keySet());
        }
      } else if (!Objects.equals(value, node)) {
        walk(value, path + "." + getter.getName().substring(3), unknown);
      }
    }
  }
}
