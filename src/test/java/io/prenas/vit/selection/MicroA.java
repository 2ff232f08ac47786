package io.prenas.vit.selection;

import io.prenas.selector.SnipInputs;
import io.prenas.tensorio.Safetensors;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The micro-a fixture space and its weights and gradients, shared by the selector tests. */
final class MicroA {

  private MicroA() {}

  static final VitSpace SPACE = new VitSpace("micro-a", new SupernetDims(128, 4, 2, 4.0),
      new ModelSettings(64, 16, 3, 10, 14), List.of(96, 128), List.of(3, 4), List.of(3.5, 4.0), List.of(1, 2), null);

  private static SnipInputs inputs;

  static synchronized SnipInputs inputs() {
    if (inputs == null) {
      try {
        inputs = new SnipInputs(Safetensors.read(SharedFiles.microA("init.safetensors")).tensors(),
            Safetensors.read(SharedFiles.microA("grads.safetensors")).tensors());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return inputs;
  }

  /** The YAML of the micro-a space in the reference's format. */
  static final String YAML = """
      SUPERNET:
        MLP_RATIO: 4.0
        NUM_HEADS: 2
        EMBED_DIM: 128
        DEPTH: 4
      SEARCH_SPACE:
        MLP_RATIO:
          - 3.5
          - 4.0
        NUM_HEADS:
          - 1
          - 2
        DEPTH:
          - 3
          - 4
        EMBED_DIM:
          - 96
          - 128
      MODEL:
        IMAGE_SIZE: 64
        PATCH_SIZE: 16
        IN_CHANS: 3
        NUM_CLASSES: 10
        MAX_RELATIVE_POSITION: 14
      """;
}
