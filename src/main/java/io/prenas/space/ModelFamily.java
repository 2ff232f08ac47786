package io.prenas.space;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * A model family (ViT, CNN): the one interface a family implements to plug into the pipeline, registered as a Java
 * service ({@code META-INF/services/io.prenas.space.ModelFamily}) and chosen by a space file's {@code TYPE} key.
 *
 * <p>It reads the family's spaces, and it hands out its implementation of each port an engine layer defines for the
 * work only a family can do: the supernet ({@code io.prenas.supernet.SupernetFactory}), the zero-cost candidates
 * ({@code io.prenas.selector.CandidateSelection}) and the ONNX graph of a standalone model
 * ({@code io.prenas.onnx.OnnxExport}). The ports live with the layer that calls them, so the layers need
 * no family code, and this interface needs no engine type.
 */
public interface ModelFamily {

  /** The family's name, the value of a space file's {@code TYPE} key ({@code vit}). */
  String type();

  /** Built-in spaces of the family: name to classpath resource of its YAML file, in size order. */
  Map<String, String> builtInSpaces();

  /**
   * Reads a space from the top-level mapping of its file ({@code TYPE} already taken off).
   *
   * @throws SpaceException naming the key at fault
   */
  SearchSpace readSpace(String name, ObjectNode body);

  /** The family's implementation of an engine port, or empty when the family has none (yet). */
  <T> Optional<T> port(Class<T> port);
}
