package io.prenas.cnn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.cnn.engine.CnnOnnxExport;
import io.prenas.cnn.engine.CnnSupernetFactory;
import io.prenas.cnn.selection.CnnCandidateSelection;
import io.prenas.cnn.selection.CnnSelectionBenchmark;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.CnnSpaceReader;
import io.prenas.onnx.OnnxExport;
import io.prenas.selector.CandidateSelection;
import io.prenas.selector.SelectionBenchmark;
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
 * <p>Ports: {@code SupernetFactory} is the supernet of {@code cnn.engine}; {@link CandidateSelection} is the exact
 * top-N per bin of {@code cnn.selection} (spec §8), and {@link SelectionBenchmark} times its per-bin queries
 * ({@code bench select-exact}); {@link OnnxExport} writes a standalone model as ONNX ({@code cnn.engine.CnnOnnxGraph}).
 */
public final class CnnFamily implements ModelFamily {

  private static final Map<String, String> BUILT_IN = Map.of("bignas-mbv2", "spaces/bignas-mbv2.yaml");

  private final SupernetFactory supernets = new CnnSupernetFactory();
  private final OnnxExport onnx = new CnnOnnxExport();

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
    if (port == CandidateSelection.class) {
      return Optional.of(port.cast(new CnnCandidateSelection()));
    }
    if (port == SelectionBenchmark.class) {
      return Optional.of(port.cast(new CnnSelectionBenchmark()));
    }
    if (port == OnnxExport.class) {
      return Optional.of(port.cast(onnx));
    }
    return Optional.empty();
  }
}
