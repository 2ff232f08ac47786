package io.prenas.cli;

import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.pth.PthException;
import io.prenas.tensorio.pth.PthReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convert --in X.pth --out X.safetensors [--key model]}: the state dict of a PyTorch checkpoint as
 * safetensors, with the same names and shapes (floating point as float32). The checkpoint is read completely and
 * checked before the output is written, atomically; a refused file leaves no output behind.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert the state dict of a PyTorch checkpoint (.pth, zip or legacy) to safetensors. "
        + "Nothing in the checkpoint is run: only an allowlist of Python globals is accepted.")
final class ConvertCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "<X.pth>", description = "The PyTorch checkpoint.")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "<X.safetensors>", description = "The output file.")
  Path out;

  @Option(names = "--key", paramLabel = "<entry>",
      description = "The checkpoint entry that holds the state dict (default: 'model', then 'state_dict', or the "
          + "whole file when it is a bare state dict).")
  String key;

  @Override
  public void run() {
    PthReader.StateDict stateDict;
    try {
      stateDict = PthReader.read(in, key);
    } catch (PthException e) {
      throw new CliException(e.getMessage().startsWith(in.toString()) ? e.getMessage() : in + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("converted_from", "pytorch-" + stateDict.format());
    if (stateDict.entry() != null) {
      metadata.put("checkpoint_entry", stateDict.entry());
    }
    try {
      Safetensors.write(out, stateDict.tensors(), metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("wrote " + stateDict.tensors().size() + " tensors"
        + (stateDict.entry() == null ? "" : " of entry '" + stateDict.entry() + "'") + " to " + out);
    stdout.flush();
  }
}
