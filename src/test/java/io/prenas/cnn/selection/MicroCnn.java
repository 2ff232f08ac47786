package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnFixtures;
import io.prenas.selector.SnipInputs;
import io.prenas.tensorio.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The cnn-micro-a weights with the gradients of both resolutions (grads32 at r = 32, grads at r = 40). */
final class MicroCnn {

  private MicroCnn() {}

  static SnipInputs inputs() {
    try {
      return SnipInputs.perResolution(Safetensors.read(CnnFixtures.microA("init.safetensors")).tensors(),
          Map.of(32, Safetensors.read(CnnFixtures.microA("grads32.safetensors")).tensors(),
              40, Safetensors.read(CnnFixtures.microA("grads.safetensors")).tensors()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
