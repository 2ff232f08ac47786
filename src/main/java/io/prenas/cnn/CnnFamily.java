package io.prenas.cnn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.cnn.engine.CnnSupernetFactory;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.CnnSpaceReader;
import io.prenas.space.ModelFamily;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.SupernetFactory;
import java.util.Map;
import java.util.Optional;

/**
 * The CNN family (BigNAS / MobileNetV2 spaces, the paper's Table 2; spec {@code cnn-space.md}), chosen by
 * {@code TYPE: cnn} and registered in {@code META-INF/services/io.prenas.space.ModelFamily}. Spaces, architectures
 * and exact counting live in {@code cnn.space}, the supernet (BigNAS weight sharing, BatchNorm statistics and their
 * recalibration, standalone export) in {@code cnn.engine}.
 *
 * <p>A port the family does not hand out yet ({@code CandidateSelection} until the exact top-N per FLOPs bin lands)
 * makes {@code ModelFamilies.port} refuse a CNN space with a {@code SpaceException} naming it, which the CLI and the
 * jobs report as bad input.
 */
public final class CnnFamily implements ModelFamily {

  private static final Map<String, String> BUILT_IN = Map.of("bignas-mbv2", "spaces/bignas-mbv2.yaml");

  private final SupernetFactory supernets = new CnnSupernetFactory();

  @Override
  public String type() {
    return CnnSpace.FAMILY;
  }

  @Override
  public Map<String, String> builtInSpaces() {
    return BUILT_IN;
  }

  @Override
  public SearchSpace readSpace(String name, ObjectNode body) {
    return CnnSpaceReader.read(name, body);
  }

  @Override
  public <T> Optional<T> port(Class<T> port) {
    if (port == SupernetFactory.class) {
      return Optional.of(port.cast(supernets));
    }
    return Optional.empty();
  }
}
