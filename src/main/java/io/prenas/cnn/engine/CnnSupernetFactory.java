package io.prenas.cnn.engine;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The CNN family's supernet port: {@link CnnSupernet}, its layout ({@link CnnLayout}) and {@link CnnSubnetExporter}. */
public final class CnnSupernetFactory implements SupernetFactory {

  @Override
  public CnnSupernet initialize(SearchSpace space, long seed, String device) {
    return CnnSupernet.initialize(CnnSpace.of(space), seed, device);
  }

  @Override
  public CnnSupernet fromTensors(SearchSpace space, Map<String, Tensor> weights, String device) {
    return CnnSupernet.fromTensors(CnnSpace.of(space), weights, device);
  }

  @Override
  public void checkLayout(SearchSpace space, Map<String, Tensor> weights) {
    CnnLayout.check(CnnSpace.of(space), weights);
  }

  /** The architecture's slices with the supernet's current statistics: recalibrate it first (BigNAS). */
  @Override
  public Exported export(Supernet supernet, Architecture arch, Path weights, Path config) throws IOException {
    if (!(supernet instanceof CnnSupernet cnn)) {
      throw new IllegalArgumentException("not a CNN supernet: " + supernet.getClass().getName());
    }
    CnnSubnetExporter.Exported e = CnnSubnetExporter.export(cnn, CnnArchitecture.of(arch), weights, config);
    return new Exported(e.weights(), e.config(), e.parameterCount(), e.tensorCount());
  }
}
