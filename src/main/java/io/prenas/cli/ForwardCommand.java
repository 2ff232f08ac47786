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
 * (B, num_classes)) for architecture i of the file, in file order; the metadata lists the architecture ids. With
 * {@code --recalibrate}, a family with BatchNorm (CNN) first re-estimates each architecture's statistics on the
 * batches {@code x.0, x.1, ...} of that file ({@code Supernet.recalibrate}); a family without is refused.
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

  @Option(names = "--recalibrate", paramLabel = "<recal.safetensors>",
      description = "Recalibrate each architecture's BatchNorm statistics on the batches x.0, x.1, ... of this file "
          + "before its forward (families with BatchNorm, e.g. CNN spaces).")
  Path recalibrate;

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
    List<Tensor> recalibration = recalibrate == null ? List.of() : recalibrationBatches();
    Map<String, Tensor> logits = new LinkedHashMap<>();
    StringBuilder ids = new StringBuilder();
    try (Supernet supernet = ModelFamilies.port(searchSpace, SupernetFactory.class).fromTensors(searchSpace,
        Checkpoint.readWeights(weights), device)) {
      if (recalibrate != null && !supernet.hasBatchStatistics()) {
        throw new CliException("--recalibrate: the " + searchSpace.family() + " supernet of space "
            + searchSpace.name() + " has no BatchNorm statistics to recalibrate");
      }
      for (ArchitectureEntry entry : entries) {
        Architecture arch = entry.architecture();
        if (recalibrate != null) {
          recalibrate(supernet, entry, recalibration);
        }
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

  private void recalibrate(Supernet supernet, ArchitectureEntry entry, List<Tensor> batches) {
    try {
      supernet.recalibrate(entry.architecture(), batches);
    } catch (IllegalArgumentException e) {
      if (e instanceof SpaceException) {
        throw e;
      }
      throw new CliException(recalibrate + " (architecture " + entry.label() + "): " + e.getMessage());
    }
  }

  /** {@code x.0, x.1, ...} in index order: no gap, at least one, float images. */
  private List<Tensor> recalibrationBatches() {
    Map<String, Tensor> tensors = read(() -> Safetensors.read(recalibrate)).tensors();
    List<Tensor> batches = new java.util.ArrayList<>();
    while (tensors.containsKey("x." + batches.size())) {
      Tensor x = tensors.get("x." + batches.size());
      switch (x.dtype()) {
        case F32, F16, BF16, F64 -> batches.add(x);
        default -> throw new CliException(recalibrate + ": x." + batches.size() + " must be a float tensor, got "
            + x.dtype());
      }
    }
    if (batches.isEmpty()) {
      throw new CliException(recalibrate + ": no tensor 'x.0' (recalibration batches are x.0, x.1, ...; tensors: "
          + String.join(", ", tensors.keySet()) + ")");
    }
    for (String key : tensors.keySet()) {
      boolean used = key.startsWith("x.") && key.substring(2).matches("0|[1-9][0-9]{0,8}")
          && Integer.parseInt(key.substring(2)) < batches.size();
      if (key.startsWith("x.") && !used) {
        throw new CliException(recalibrate + ": " + key + " is not one of x.0 .. x." + (batches.size() - 1)
            + " (batches are numbered from 0 without a gap)");
      }
    }
    return batches;
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
