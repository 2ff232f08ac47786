package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.List;

/**
 * The L2 norm of each of many arrays in one libtorch call ({@code torch._foreach_norm}, as
 * {@code torch.nn.utils.clip_grad_norm_} computes them), read back as one float array: per array, no temporary of its
 * size and no wait for its result, where {@code square().sum()} per array made one of each. Reached through a
 * one-line TorchScript module ({@link TorchScriptModule}).
 */
final class ForeachNorm {

  private ForeachNorm() {}

  /** Loaded on first use. */
  private static final class Kernel {
    static final PtSymbolBlock MODULE = TorchScriptModule.load("ForeachNorm", String.join("\n",
        "    x: List[Tensor]) -> Tensor:",
        "    return torch.stack(torch._foreach_norm(x, 2))"));
  }

  /** The L2 norm of each array, in order (float32, as each array's own type computes it). */
  static float[] of(List<NDArray> arrays) {
    if (arrays.isEmpty()) {
      return new float[0];
    }
    NDList inputs = new NDList();
    TorchScriptModule.addList(inputs, "x", arrays);
    try (GradMode ignored = GradMode.disabled();
        NDList norms = IValueUtils.forward(Kernel.MODULE, inputs, true)) {
      return norms.singletonOrThrow().toFloatArray();
    }
  }
}
