package io.prenas.vit.engine;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The ViT family's supernet port: {@link VitSupernet}, its reference layout, and {@link SubnetExporter}. */
public final class VitSupernetFactory implements SupernetFactory {

  @Override
  public VitSupernet initialize(SearchSpace space, long seed, String device) {
    return VitSupernet.initialize(VitSpace.of(space), seed, device);
  }

  @Override
  public VitSupernet fromTensors(SearchSpace space, Map<String, Tensor> weights, String device) {
    return VitSupernet.fromTensors(VitSpace.of(space), weights, device);
  }

  @Override
  public void checkLayout(SearchSpace space, Map<String, Tensor> weights) {
    SupernetLayout.check(VitSpace.of(space), weights);
  }

  @Override
  public Exported export(Supernet supernet, Architecture arch, Path weights, Path config) throws IOException {
    if (!(supernet instanceof VitSupernet vit)) {
      throw new IllegalArgumentException("not a ViT supernet: " + supernet.getClass().getName());
    }
    SubnetExporter.Exported e = SubnetExporter.export(vit, VitArchitecture.of(arch), weights, config);
    return new Exported(e.weights(), e.config(), e.parameterCount(), e.tensorCount());
  }
}
