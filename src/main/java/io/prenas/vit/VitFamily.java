package io.prenas.vit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.onnx.OnnxExport;
import io.prenas.selector.CandidateSelection;
import io.prenas.space.ModelFamily;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.SupernetFactory;
import io.prenas.vit.engine.VitOnnxExport;
import io.prenas.vit.engine.VitSupernetFactory;
import io.prenas.vit.selection.VitCandidateSelection;
import io.prenas.vit.space.VitSpace;
import io.prenas.vit.space.VitSpaces;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vision Transformer family (AutoFormer spaces, the PreNAS reference): spaces and architectures in
 * {@code vit.space}, the supernet in {@code vit.engine}, the zero-cost candidates in {@code vit.selection}, the ONNX
 * graph of a standalone subnet in {@code vit.engine.VitOnnxGraph}.
 * Registered in {@code META-INF/services/io.prenas.space.ModelFamily}.
 */
public final class VitFamily implements ModelFamily {

  private static final Map<String, String> BUILT_IN = builtIns();

  private final SupernetFactory supernets = new VitSupernetFactory();
  private final CandidateSelection selection = new VitCandidateSelection();
  private final OnnxExport onnx = new VitOnnxExport();

  private static Map<String, String> builtIns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("autoformer-tiny", "spaces/supernet-T.yaml");
    m.put("autoformer-small", "spaces/supernet-S.yaml");
    m.put("autoformer-base", "spaces/supernet-B.yaml");
    return java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public String type() {
    return VitSpace.FAMILY;
  }

  @Override
  public Map<String, String> builtInSpaces() {
    return BUILT_IN;
  }

  @Override
  public SearchSpace readSpace(String name, ObjectNode body) {
    return VitSpaces.read(name, body);
  }

  @Override
  public <T> Optional<T> port(Class<T> port) {
    if (port == SupernetFactory.class) {
      return Optional.of(port.cast(supernets));
    }
    if (port == CandidateSelection.class) {
      return Optional.of(port.cast(selection));
    }
    if (port == OnnxExport.class) {
      return Optional.of(port.cast(onnx));
    }
    return Optional.empty();
  }
}
