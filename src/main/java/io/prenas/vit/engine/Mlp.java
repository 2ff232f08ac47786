package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import io.prenas.supernet.Release;

/**
 * fc1, exact GELU, fc2. DJL's GELU on PyTorch is {@code torch.nn.functional.gelu} without approximation, i.e. the
 * erf form {@code 0.5 x (1 + erf(x / sqrt 2))} the reference uses (checked in {@code VitPiecesTest}).
 */
final class Mlp {

  private Mlp() {}

  static NDArray apply(NDArray x, MlpWeights w) {
    NDArray pre = Linear.linear(x, w.fc1Weight(), w.fc1Bias()).singletonOrThrow();
    NDArray hidden = Release.after(Activation.gelu(pre), pre);
    return Release.after(Linear.linear(hidden, w.fc2Weight(), w.fc2Bias()).singletonOrThrow(), hidden);
  }
}
