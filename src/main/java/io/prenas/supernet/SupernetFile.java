package io.prenas.supernet;

import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The file of a supernet's weights alone: safetensors, canonical names and order, the space named in its header. */
public final class SupernetFile {

  /** The {@code format} value of the header. */
  public static final String FORMAT = "prenas-supernet";

  private SupernetFile() {}

  /** Writes supernet weights of {@code space} atomically. */
  public static void write(Path file, SearchSpace space, Map<String, Tensor> weights) throws IOException {
    Safetensors.write(file, weights, Map.of("format", FORMAT, "space", space.name(), "family", space.family()));
  }
}
