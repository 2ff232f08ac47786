package io.prenas.cli;

import io.prenas.onnx.OnnxExport;
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
import io.prenas.training.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code export}: one architecture of a supernet as a standalone model, in our safetensors format (with its JSON
 * config beside it) or as ONNX. The ONNX file is made from the standalone safetensors file by the family's
 * {@link OnnxExport}, the same way the server makes the ONNX file of a published model, so both give the same bytes.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export one architecture of a supernet as a standalone model (safetensors or ONNX).")
final class ExportCommand implements Runnable {

  enum Format { SAFETENSORS, ONNX }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>",
      description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--weights", required = true, paramLabel = "<supernet.safetensors>",
      description = "Supernet weights with the reference state_dict names, or a training checkpoint (its weights).")
  Path weights;

  @Option(names = "--arch", required = true, paramLabel = "<A.json>",
      description = "One architecture in its family's config format (ViT: the reference config, layer_num, embed_dim,"
          + " mlp_ratio, num_heads; CNN: resolution, stem, stages, head).")
  Path arch;

  @Option(names = "--format", paramLabel = "<onnx|safetensors>", converter = FormatConverter.class,
      description = "Output format (default: safetensors). safetensors also writes the JSON config beside the file"
          + " (<out without .safetensors>.json).")
  Format format = Format.SAFETENSORS;

  @Option(names = "--out", required = true, paramLabel = "<file>", description = "Output file.")
  Path out;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    Architecture architecture = oneArchitecture(searchSpace);
    // The ONNX port first: a family without one (none so far) is told as such, whatever else it lacks.
    OnnxExport onnx = format == Format.ONNX ? ModelFamilies.port(searchSpace, OnnxExport.class) : null;
    SupernetFactory factory = ModelFamilies.port(searchSpace, SupernetFactory.class);
    PrintWriter stdout = spec.commandLine().getOut();
    try (Supernet supernet = factory.fromTensors(searchSpace, Checkpoint.readWeights(weights), null)) {
      if (format == Format.SAFETENSORS) {
        SupernetFactory.Exported e = factory.export(supernet, architecture, out, configBeside(out));
        stdout.printf(Locale.ROOT, "wrote %s (%d tensors, %d parameters) and %s%n", e.weights(), e.tensorCount(),
            e.parameterCount(), e.config());
      } else {
        Path work = Files.createTempDirectory("prenas-export");
        try {
          Path standalone = work.resolve("subnet.safetensors");
          factory.export(supernet, architecture, standalone, work.resolve("subnet.json"));
          OnnxExport.Exported e = onnx.write(standalone, out);
          stdout.printf(Locale.ROOT, "wrote %s (ONNX opset %d, %d initializers, %d parameters, %d bytes)%n",
              e.file(), OnnxExport.OPSET, e.initializers(), e.parameterCount(), e.size());
        } finally {
          deleteAll(work);
        }
      }
    } catch (WeightsException e) {
      throw new CliException(weights + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stdout.flush();
  }

  private Architecture oneArchitecture(SearchSpace searchSpace) {
    List<ArchitectureEntry> entries;
    try {
      entries = ArchitectureJson.read(arch, searchSpace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (entries.size() != 1) {
      throw new CliException(arch + ": expected one architecture, found " + entries.size());
    }
    ArchitectureEntry entry = entries.get(0);
    try {
      searchSpace.validate(entry.architecture());
    } catch (SpaceException e) {
      throw new CliException("architecture " + entry.label() + " of " + arch + " is outside space "
          + searchSpace.name() + ": " + e.getMessage());
    }
    return entry.architecture();
  }

  static Path configBeside(Path weights) {
    String name = weights.getFileName().toString();
    String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    return weights.resolveSibling(base + ".json");
  }

  private static void deleteAll(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** {@code onnx} or {@code safetensors}, any case; anything else is a usage error naming the choices. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("unknown format '" + value + "' (onnx or safetensors)");
      }
    }
  }
}
