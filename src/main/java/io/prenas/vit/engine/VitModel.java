package io.prenas.vit.engine;

import ai.djl.ndarray.NDManager;
import io.prenas.supernet.Devices;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A plain (non-super) ViT of one architecture, as exported by {@link SubnetExporter}: tensors in their own
 * shapes, no slicing. It runs the same forward code as the supernet, so its logits equal the supernet slice's.
 */
public final class VitModel implements AutoCloseable {

  private final VitArchitecture architecture;
  private final ModelSettings model;
  private final ParameterSet parameters;
  private final RelativePosition2D positions;

  private VitModel(VitArchitecture architecture, ModelSettings model, ParameterSet parameters) {
    this.architecture = architecture;
    this.model = model;
    this.parameters = parameters;
    this.positions = new RelativePosition2D(model.gridSide(), model.maxRelativePosition());
  }

  /**
   * A model from tensors named and shaped as {@link SupernetLayout#subnetShapes}.
   *
   * @throws WeightsException naming the first missing, unknown or mis-shaped tensor
   */
  public static VitModel fromTensors(VitArchitecture architecture, ModelSettings model, Map<String, Tensor> tensors,
      String device) {
    Map<String, long[]> layout = SupernetLayout.subnetShapes(architecture, model);
    return new VitModel(architecture, model, ParameterSet.create(layout, tensors, Devices.parse(device)));
  }

  /** Loads an exported weights file; the architecture and model settings come from its metadata. */
  public static VitModel load(Path weights, String device) throws IOException {
    Safetensors.Contents contents = Safetensors.read(weights);
    Map<String, String> meta = contents.metadata();
    if (!SubnetFormat.FORMAT.equals(meta.get(SubnetFormat.KEY_FORMAT))) {
      throw new IllegalArgumentException(weights + " is not a " + SubnetFormat.FORMAT + " file (format: "
          + meta.get(SubnetFormat.KEY_FORMAT) + ")");
    }
    VitArchitecture arch = SubnetFormat.readArchitecture(meta.get(SubnetFormat.KEY_ARCHITECTURE));
    ModelSettings model = SubnetFormat.readModel(
        SubnetFormat.parse(SubnetFormat.KEY_MODEL, meta.get(SubnetFormat.KEY_MODEL)));
    return fromTensors(arch, model, contents.tensors(), device);
  }

  public VitArchitecture architecture() {
    return architecture;
  }

  public ModelSettings model() {
    return model;
  }

  /** Number of parameter values (equals the reference's count for the architecture). */
  public long parameterCount() {
    return parameters.arrays().values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** Evaluation-mode logits (B, num_classes) of images (B, in_chans, image_size, image_size). */
  public Tensor logits(Tensor images) {
    Supernet.checkImages(model.inChans(), model.imageSize(), images);
    try (GradMode ignored = GradMode.disabled(); NDManager step = parameters.manager().newSubManager()) {
      VitWeights w = VitWeights.fromKeys(key -> ParameterSet.whole(parameters.get(key), step),
          architecture.numHeads());
      return NdConvert.toTensor(VitForward.logits(w, NdConvert.toNd(step, images), positions,
          ForwardMode.eval(), architecture.depth()));
    }
  }

  @Override
  public void close() {
    parameters.close();
  }
}
