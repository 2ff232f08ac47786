package io.prenas.cli;

import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.supernet.Supernet;
import io.prenas.supernet.SupernetFactory;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.training.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code forward}: evaluation-mode logits of architectures on supernet weights. Writes {@code logits.<i>} (float32,
 * (B, num_classes)) for architecture i of the file, in file order; the metadata lists the architecture ids.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
    description = "Run architectures of a supernet on an input batch and write their logits (eval mode).")
final class ForwardCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>",
      description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--weights", required = true, paramLabel = "<supernet.safetensors>",
      description = "Supernet weights with the reference state_dict names, or a training checkpoint (its weights).")
  Path weights;

  @Option(names = "--input", required = true, paramLabel = "<x.safetensors>",
      description = "Input images (B, C, H, W) as tensor 'x' (or the file's only tensor).")
  Path input;

  @Option(names = "--archs", required = true, paramLabel = "<file.json>",
      description = "A JSON array of configs, one config, or a preferred-architecture file (bin key -> configs).")
  Path archs;

  @Option(names = "--out", required = true, paramLabel = "<logits.safetensors>",
      description = "Output file: logits.<i> for architecture i.")
  Path out;

  @Option(names = "--device", paramLabel = "<cpu|gpu|gpuN>", description = "Device (default: the engine's).")
  String device;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    List<ArchitectureEntry> entries = read(() -> ArchitectureJson.read(archs, searchSpace));
    for (ArchitectureEntry entry : entries) {
      try {
        searchSpace.validate(entry.architecture());
      } catch (SpaceException e) {
        throw new CliException("architecture " + entry.label() + " of " + archs + " is outside space "
            + searchSpace.name() + ": " + e.getMessage());
      }
    }
    Tensor images = inputImages(read(() -> Safetensors.read(input)));
    Map<String, Tensor> logits = new LinkedHashMap<>();
    StringBuilder ids = new StringBuilder();
    try (Supernet supernet = ModelFamilies.port(searchSpace, SupernetFactory.class).fromTensors(searchSpace,
        Checkpoint.readWeights(weights), device)) {
      for (ArchitectureEntry entry : entries) {
        Architecture arch = entry.architecture();
        logits.put("logits." + logits.size(), supernet.logits(arch, images));
        ids.append(ids.length() == 0 ? "" : ",").append(arch.id());
      }
    } catch (WeightsException e) {
      throw new CliException(weights + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      if (e instanceof SpaceException) {
        throw e;
      }
      throw new CliException(input + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    read(() -> {
      Safetensors.write(out, logits, Map.of("archs", ids.toString(), "space", searchSpace.name()));
      return null;
    });
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("wrote " + logits.size() + " logits tensors to " + out);
    stdout.flush();
  }

  private Tensor inputImages(Safetensors.Contents contents) {
    Map<String, Tensor> tensors = contents.tensors();
    Tensor x = tensors.get("x");
    if (x == null && tensors.size() == 1) {
      x = tensors.values().iterator().next();
    }
    if (x == null) {
      throw new CliException(input + ": no tensor 'x' (tensors: " + String.join(", ", tensors.keySet()) + ")");
    }
    switch (x.dtype()) {
      case F32, F16, BF16, F64 -> {
        return x;
      }
      default -> throw new CliException(input + ": images must be a float tensor, got " + x.dtype());
    }
  }

  private interface IoAction<T> {
    T call() throws IOException;
  }

  private static <T> T read(IoAction<T> action) {
    try {
      return action.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
