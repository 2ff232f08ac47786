package io.prenas.supernet;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The supernet port a model family implements (handed out by {@code ModelFamily.port(SupernetFactory.class)}):
 * building its supernet, checking its tensor layout, and exporting one architecture as a standalone model. Everything
 * else (training steps, the gradient pass, evaluation, checkpoints) is family-neutral and runs on {@link Supernet}.
 */
public interface SupernetFactory {

  /** A supernet with the family's seeded reference-style initial weights, on a device ({@code null} = default). */
  Supernet initialize(SearchSpace space, long seed, String device);

  /**
   * A supernet from named tensors (any float dtype; kept as float32).
   *
   * @throws WeightsException naming the first missing, unknown or mis-shaped tensor
   */
  Supernet fromTensors(SearchSpace space, Map<String, Tensor> weights, String device);

  /**
   * Checks that tensors have exactly the supernet layout of the space, without building anything.
   *
   * @throws WeightsException naming the first missing, unknown or mis-shaped tensor
   */
  void checkLayout(SearchSpace space, Map<String, Tensor> weights);

  /**
   * Writes one architecture as a standalone model: its own tensors ({@code weights}, safetensors) and a config
   * ({@code config}, JSON) that a client needs to run it; both atomically.
   */
  Exported export(Supernet supernet, Architecture arch, Path weights, Path config) throws IOException;

  /** What {@link #export} wrote: the files, the exact parameter count and the number of tensors. */
  record Exported(Path weights, Path config, long parameterCount, int tensorCount) {}
}
