package io.prenas.cnn.engine;

import ai.djl.ndarray.NDManager;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.supernet.Devices;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.Supernet;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A standalone CNN exported by {@link CnnSubnetExporter}: its own tensors and BatchNorm statistics, run in
 * evaluation mode by the same {@link CnnForward} as the supernet (every slice is then the whole tensor).
 */
public final class CnnModel implements AutoCloseable {

  private final CnnSpace network;
  private final CnnArchitecture arch;
  private final ParameterSet parameters;
  private final BatchNormStatistics statistics;

  private CnnModel(CnnSpace network, CnnArchitecture arch, ParameterSet parameters, BatchNormStatistics statistics) {
    this.network = network;
    this.arch = arch;
    this.parameters = parameters;
    this.statistics = statistics;
  }

  /**
   * Loads an exported weights file (its metadata describes the network).
   *
   * @throws IllegalArgumentException when the metadata is missing or invalid
   * @throws io.prenas.supernet.WeightsException naming the first tensor that does not fit
   */
  public static CnnModel load(Path weights, String device) throws IOException {
    Safetensors.Contents contents = Safetensors.read(weights);
    CnnSubnetFormat.Described described = CnnSubnetFormat.describe(weights.toString(), contents.metadata());
    return fromTensors(described.network(), described.arch(), contents.tensors(), device);
  }

  static CnnModel fromTensors(CnnSpace network, CnnArchitecture arch, Map<String, Tensor> tensors, String device) {
    Map<String, long[]> layout = CnnLayout.shapes(CnnPlan.of(network, arch));
    ParameterSet.checkLayout(layout, tensors);
    Map<String, long[]> trainable = CnnLayout.parameters(layout);
    Map<String, Tensor> trainableTensors = new LinkedHashMap<>();
    trainable.keySet().forEach(k -> trainableTensors.put(k, tensors.get(k)));
    ParameterSet parameters = ParameterSet.create(trainable, trainableTensors, Devices.parse(device));
    try {
      return new CnnModel(network, arch, parameters,
          BatchNormStatistics.create(CnnLayout.statistics(layout), tensors, parameters.device()));
    } catch (RuntimeException e) {
      parameters.close();
      throw e;
    }
  }

  public CnnArchitecture architecture() {
    return arch;
  }

  /** Evaluation-mode logits (B, classes) of images (B, IN_CHANS, r, r) at the model's resolution. */
  public Tensor logits(Tensor images) {
    Supernet.checkImages(network.inChannels(), arch.resolution(), images);
    try (GradMode ignored = GradMode.disabled(); NDManager step = parameters.manager().newSubManager()) {
      return NdConvert.toTensor(CnnForward.logits(CnnPlan.of(network, arch), parameters::get, statistics,
          BatchNormMode.STORED, ForwardMode.eval(), NdConvert.toNd(step, images)));
    }
  }

  /** Number of parameters (running statistics excluded). */
  public long parameterCount() {
    return parameters.arrays().values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  @Override
  public void close() {
    try {
      statistics.close();
    } finally {
      parameters.close();
    }
  }
}
