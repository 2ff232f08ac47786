package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * Casts between float32 and bfloat16 on the autograd path, for {@link Precision#BF16}: the cast of a float32 master
 * weight is recorded, so its gradient flows back (in float32) through the bfloat16 product.
 *
 * <p>Why not {@code NDArray.toType}: DJL 0.36 cannot make a bfloat16 tensor at all, nor cast with autograd.
 * {@code toType} runs {@code PyTorchLibrary.torchTo}, whose native code opens a {@code torch::NoGradGuard} before
 * {@code tensor.to(device, dtype)}: the result is cut from the graph. And every DJL call that takes a type passes
 * {@code DataType.ordinal()} to {@code utils::GetScalarTypeFromDType}, which knows codes 0 to 8 (float32 ... complex64)
 * and ends in a bare {@code throw;} for any other: {@code BFLOAT16} (ordinal 11) aborts the JVM ("terminate called
 * without an active exception"). What DJL 0.36 does run with autograd is a TorchScript module's forward in training
 * mode ({@code moduleForward} with {@code is_train}: no guard). So each direction is a one-line TorchScript module,
 * {@code torch.to(x, dtype)}, written as a TorchScript archive in memory ({@link TorchScriptModule}) and loaded once
 * per JVM. libtorch casts the incoming gradient back to the input's type itself.
 *
 * <p>DJL reports a bfloat16 array's type as {@code unknown}; the arrays never leave the forward pass.
 * {@code MixedPrecisionTest} checks that gradients arrive and that the cast rounds like {@code tensor.to}.
 */
public final class MixedPrecision {

  private MixedPrecision() {}

  /** Loaded on first use: a BF16 pass is the only user, so an FP32 process never loads them. */
  private static final class Casts {
    static final PtSymbolBlock TO_BF16 = load("ToBFloat16", TorchScriptModule.TORCH_BFLOAT16);
    static final PtSymbolBlock TO_FP32 = load("ToFloat32", TorchScriptModule.TORCH_FLOAT32);
  }

  /**
   * {@code x} (float32) in the type {@code precision} computes matrix products in: a bfloat16 copy on the autograd
   * path for BF16, {@code x} itself for FP32.
   */
  public static NDArray compute(NDArray x, Precision precision) {
    return precision == Precision.BF16 ? run(Casts.TO_BF16, x) : x;
  }

  /** A product's result back in float32 (softmax, LayerNorm, residual sums, the loss); {@code x} itself for FP32. */
  public static NDArray master(NDArray x, Precision precision) {
    return precision == Precision.BF16 ? run(Casts.TO_FP32, x) : x;
  }

  /**
   * {@code x W^T + b} in {@code precision}, the result in the compute type (bfloat16 for BF16, so that a following
   * product takes it without a cast); the casts of {@code x}, {@code W} and {@code b} are released.
   */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias, Precision precision) {
    NDArray xc = compute(x, precision);
    NDArray wc = compute(weight, precision);
    NDArray bc = bias == null ? null : compute(bias, precision);
    NDArray y = (bc == null ? Linear.linear(xc, wc) : Linear.linear(xc, wc, bc)).singletonOrThrow();
    return precision == Precision.FP32 ? y : Release.after(y, xc, wc, bc);
  }

  /** As {@link #linear}, the result in float32. */
  public static NDArray linearToMaster(NDArray x, NDArray weight, NDArray bias, Precision precision) {
    NDArray y = linear(x, weight, bias, precision);
    return Release.after(master(y, precision), y);
  }

  /** Closes {@code cast} if it is a copy made by {@link #compute} or {@link #master}, not {@code original} itself. */
  public static void release(NDArray cast, NDArray original) {
    if (cast != original) {
      cast.close();
    }
  }

  private static NDArray run(PtSymbolBlock cast, NDArray x) {
    // training mode: the module runs without the inference guard, so autograd records the cast
    return IValueUtils.forward(cast, new NDList(x), true).singletonOrThrow();
  }

  private static PtSymbolBlock load(String name, int torchDtype) {
    return TorchScriptModule.load(name, String.join("\n",
        "    x: Tensor) -> Tensor:",
        "    return torch.to(x, " + torchDtype + ")"));
  }
}
