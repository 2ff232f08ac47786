package io.prenas.onnx;

import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The check every family's ONNX export makes on a standalone file before it builds a graph from its tensors. */
public final class StandaloneTensors {

  private StandaloneTensors() {}

  /**
   * The tensors of a standalone file in the order of its family's layout (names to shapes), each present with its
   * shape and none besides.
   *
   * @throws IllegalArgumentException naming the first missing, mis-shaped or unexpected tensor
   */
  public static Map<String, Tensor> inLayoutOrder(Map<String, long[]> layout, Map<String, Tensor> all) {
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.entrySet()) {
      Tensor t = all.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("standalone model: tensor '" + e.getKey() + "' is missing");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException("standalone model: tensor '" + e.getKey() + "' has shape "
            + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue()));
      }
      ordered.put(e.getKey(), t);
    }
    for (String name : all.keySet()) {
      if (!layout.containsKey(name)) {
        throw new IllegalArgumentException("standalone model: unexpected tensor '" + name + "'");
      }
    }
    return ordered;
  }
}
