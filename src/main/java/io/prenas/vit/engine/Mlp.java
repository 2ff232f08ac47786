package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.prenas.supernet.MixedPrecision;
import io.prenas.supernet.Precision;
import io.prenas.supernet.Release;

/**
 * fc1, exact GELU, fc2. DJL's GELU on PyTorch is {@code torch.nn.functional.gelu} without approximation, i.e. the
 * erf form {@code 0.5 x (1 + erf(x / sqrt 2))} the reference uses (checked in {@code VitPiecesTest}).
 */
final class Mlp {

  private Mlp() {}

  /** Under BF16 the hidden layer stays bfloat16 from fc1 through GELU into fc2 (as PyTorch's autocast runs it). */
  static NDArray apply(NDArray x, MlpWeights w, Precision precision) {
    NDArray pre = MixedPrecision.linear(x, w.fc1Weight(), w.fc1Bias(), precision);
    NDArray hidden = Release.after(Activation.gelu(pre), pre);
    return Release.after(MixedPrecision.linearToMaster(hidden, w.fc2Weight(), w.fc2Bias(), precision), hidden);
  }
}
