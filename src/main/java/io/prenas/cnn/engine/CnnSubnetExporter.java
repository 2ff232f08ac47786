package io.prenas.cnn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.fileio.AtomicFiles;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Specialisation of a CNN supernet (spec §4): one architecture as a standalone model whose tensors are its slices
 * (leading channels, centre kernels, slots j &lt; depth) and whose running statistics are the supernet's current
 * ones for those slices: recalibrate the architecture first ({@code Supernet.recalibrate}) and the export carries
 * its own statistics. {@link CnnModel} loads it and computes the same logits as the supernet slice.
 */
public final class CnnSubnetExporter {

  /** What an export wrote: the parameter count excludes the running statistics (spec §7). */
  public record Exported(Path weights, Path config, int tensorCount, long parameterCount) {}

  private CnnSubnetExporter() {}

  /** The subnet's tensors (float32 copies, state_dict names and order, running statistics included). */
  public static Map<String, Tensor> tensors(CnnSupernet supernet, CnnArchitecture arch) {
    supernet.space().validate(arch);
    Map<String, long[]> layout = CnnLayout.shapes(CnnPlan.of(supernet.space(), arch));
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (GradMode ignored = GradMode.disabled();
        NDManager step = supernet.parameters().manager().newSubManager()) {
      for (Map.Entry<String, long[]> e : layout.entrySet()) {
        String key = e.getKey();
        NDArray full = CnnLayout.isStatistic(key) ? supernet.statistics().get(key) : supernet.parameters().get(key);
        out.put(key, NdConvert.toTensor(full.get(step, sliceOf(full.getShape().getShape(), e.getValue()))));
      }
    }
    return out;
  }

  /** Leading entries on channel axes, the centre on the kernel axes (2 and 3 of a conv weight). */
  private static NDIndex sliceOf(long[] stored, long[] target) {
    StringBuilder index = new StringBuilder();
    Object[] args = new Object[2 * target.length];
    for (int i = 0; i < target.length; i++) {
      long start = stored.length == 4 && i >= 2 ? (stored[i] - target[i]) / 2 : 0;
      index.append(i == 0 ? "" : ", ").append("{}:{}");
      args[2 * i] = start;
      args[2 * i + 1] = start + target[i];
    }
    return new NDIndex(index.toString(), args);
  }

  /**
   * Writes {@code weights} (safetensors with self-describing metadata) and {@code config} (JSON: format, weights
   * file name, id, architecture, network, parameter and tensor counts, whether the statistics were recalibrated),
   * each atomically.
   */
  public static Exported export(CnnSupernet supernet, CnnArchitecture arch, Path weights, Path config)
      throws IOException {
    Map<String, Tensor> tensors = tensors(supernet, arch);
    long params = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      params += CnnLayout.isStatistic(e.getKey()) ? 0 : e.getValue().numel();
    }
    CnnSpace space = supernet.space();
    String statistics = supernet.isRecalibratedFor(arch) ? "recalibrated" : "supernet";
    ObjectNode network = CnnSubnetFormat.network(space, arch);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(CnnSubnetFormat.KEY_FORMAT, CnnSubnetFormat.FORMAT);
    meta.put(CnnSubnetFormat.KEY_ARCH, CnnArchitectureJson.canonical(arch));
    meta.put(CnnSubnetFormat.KEY_NETWORK, network.toString());
    meta.put(CnnSubnetFormat.KEY_NUM_PARAMS, Long.toString(params));
    meta.put(CnnSubnetFormat.KEY_BN_STATISTICS, statistics);
    Safetensors.write(weights, tensors, meta);

    ObjectNode json = CnnSubnetFormat.JSON.createObjectNode();
    json.put(CnnSubnetFormat.KEY_FORMAT, CnnSubnetFormat.FORMAT);
    json.put("weights", weights.getFileName().toString());
    json.put("id", arch.id());
    json.set(CnnSubnetFormat.KEY_ARCH, CnnArchitectureJson.write(arch));
    json.set(CnnSubnetFormat.KEY_NETWORK, network);
    json.put(CnnSubnetFormat.KEY_NUM_PARAMS, params);
    json.put("num_tensors", tensors.size());
    json.put(CnnSubnetFormat.KEY_BN_STATISTICS, statistics);
    json.put("source_space", space.name());
    AtomicFiles.writeString(config, AtomicFiles.Sync.NONE,
        CnnSubnetFormat.JSON.writeValueAsString(json) + System.lineSeparator());
    return new Exported(weights, config, tensors.size(), params);
  }
}
