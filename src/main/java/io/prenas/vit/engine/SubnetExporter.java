package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.fileio.AtomicFiles;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitArchitectureJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Specialisation (spec 6): writes one architecture of a trained supernet as a standalone model, holding exactly
 * the subnet's parameters (tensor names and shapes: {@link SupernetLayout#subnetShapes}; the element total is the
 * reference's parameter count), and a JSON config beside it. {@link VitModel} loads the result.
 */
public final class SubnetExporter {

  /** What an export wrote. */
  public record Exported(Path weights, Path config, int tensorCount, long parameterCount) {}

  private SubnetExporter() {}

  /** The subnet's tensors (float32 copies, standalone names and order), with qkv rows de-interleaved. */
  public static Map<String, Tensor> tensors(VitSupernet supernet, VitArchitecture arch) {
    VitSupernet.checkFits(supernet.space().supernet(), arch);
    try (GradMode ignored = GradMode.disabled();
        NDManager step = supernet.parameters().manager().newSubManager()) {
      VitWeights slice = SubnetSlicer.slice(supernet.parameters(), arch, step);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : slice.byKey().entrySet()) {
        out.put(e.getKey(), NdConvert.toTensor(e.getValue()));
      }
      return out;
    }
  }

  /** Safetensors metadata that makes the weights file self-describing. */
  static Map<String, String> metadata(VitArchitecture arch, ModelSettings model, long parameterCount) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(SubnetFormat.KEY_FORMAT, SubnetFormat.FORMAT);
    meta.put(SubnetFormat.KEY_ARCHITECTURE, SubnetFormat.compact(VitArchitectureJson.toConfig(arch)));
    meta.put(SubnetFormat.KEY_MODEL, SubnetFormat.compact(SubnetFormat.modelJson(model)));
    meta.put(SubnetFormat.KEY_NUM_PARAMS, Long.toString(parameterCount));
    meta.put(SubnetFormat.KEY_QKV_LAYOUT, SubnetFormat.QKV_LAYOUT);
    return meta;
  }

  /**
   * Writes {@code weights} (safetensors) and {@code config} (JSON: format, weights file name, architecture, model
   * settings, parameter and tensor counts), each atomically.
   */
  public static Exported export(VitSupernet supernet, VitArchitecture arch, Path weights, Path config)
      throws IOException {
    Map<String, Tensor> tensors = tensors(supernet, arch);
    long count = 0;
    for (Tensor t : tensors.values()) {
      count += t.numel();
    }
    ModelSettings model = supernet.space().model();
    Safetensors.write(weights, tensors, metadata(arch, model, count));

    ObjectNode json = SubnetFormat.JSON.createObjectNode();
    json.put(SubnetFormat.KEY_FORMAT, SubnetFormat.FORMAT);
    json.put("weights", weights.getFileName().toString());
    json.set(SubnetFormat.KEY_ARCHITECTURE, VitArchitectureJson.toConfig(arch));
    json.set(SubnetFormat.KEY_MODEL, SubnetFormat.modelJson(model));
    json.put(SubnetFormat.KEY_NUM_PARAMS, count);
    json.put("num_tensors", tensors.size());
    json.put("source_space", supernet.space().name());
    json.put(SubnetFormat.KEY_QKV_LAYOUT, SubnetFormat.QKV_LAYOUT);
    AtomicFiles.writeString(config, AtomicFiles.Sync.NONE,
        SubnetFormat.JSON.writeValueAsString(json) + System.lineSeparator());
    return new Exported(weights, config, tensors.size(), count);
  }
}
