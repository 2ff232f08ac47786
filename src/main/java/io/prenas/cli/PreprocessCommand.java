package io.prenas.cli;

import io.prenas.data.CorruptImageException;
import io.prenas.data.ImagenetEval;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code preprocess --in FILE_OR_DIR --preset imagenet-eval [--size S] --out x.safetensors}: the reference's
 * evaluation input of each image, {@code pixels.<i>} (float32 [3, S, S]) for the i-th file in sorted order; the
 * metadata {@code files} lists the files (relative to a directory input), one per line.
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
    description = "Apply the reference's evaluation preprocessing to image files and write the tensors.")
final class PreprocessCommand implements Runnable {

  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "<file|dir>",
      description = "An image file, or a directory whose images (JPEG, PNG, BMP, GIF; sub-folders included) are "
          + "taken in sorted order.")
  Path in;

  @Option(names = "--preset", required = true, paramLabel = "<preset>",
      description = "imagenet-eval: shorter side to int(256/224*S) with Pillow's bicubic filter, center crop S, "
          + "/255, ImageNet mean and std.")
  String preset;

  @Option(names = "--size", defaultValue = "224", description = "Output size S (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--out", required = true, paramLabel = "<x.safetensors>", description = "The output file.")
  Path out;

  @Override
  public void run() {
    if (!preset.equals("imagenet-eval")) {
      throw new CliException("unknown --preset '" + preset + "' (known: imagenet-eval)");
    }
    if (size <= 0) {
      throw new CliException("--size must be positive, got " + size);
    }
    List<Path> files = inputFiles();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    StringBuilder names = new StringBuilder();
    for (Path file : files) {
      float[] pixels;
      try {
        pixels = ImagenetEval.pixels(file, size);
      } catch (CorruptImageException e) {
        throw new CliException(e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      tensors.put("pixels." + tensors.size(), Tensor.ofFloats(new long[] {3, size, size}, pixels));
      names.append(names.length() == 0 ? "" : "\n").append(Files.isDirectory(in) ? in.relativize(file) : file
          .getFileName());
    }
    try {
      Safetensors.write(out, tensors, Map.of("preset", preset, "size", Integer.toString(size), "files",
          names.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("wrote " + tensors.size() + " images to " + out);
    stdout.flush();
  }

  private List<Path> inputFiles() {
    if (!Files.exists(in)) {
      throw new UncheckedIOException(new NoSuchFileException(in.toString()));
    }
    if (!Files.isDirectory(in)) {
      return List.of(in);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(in)) {
      // Sorted by path relative to the input, as Python's sorted() orders the names.
      files = walk.filter(Files::isRegularFile).filter(PreprocessCommand::isImage)
          .sorted((a, b) -> in.relativize(a).toString().compareTo(in.relativize(b).toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new CliException(in + ": no image files (" + String.join(", ", EXTENSIONS) + ")");
    }
    return files;
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
