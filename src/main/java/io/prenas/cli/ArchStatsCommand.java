package io.prenas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code arch stats --space S --archs FILE}: parameter count and FLOPs of every architecture of a file, as a JSON
 * array of {@code {id, bin?, config, params, flops}} in file order. Every architecture must belong to the space.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Print params and FLOPs (reference get_complexity convention) of each architecture of a file.")
final class ArchStatsCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--space", required = true, paramLabel = "<space|file>",
      description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--archs", required = true, paramLabel = "<file.json>",
      description = "A JSON array of configs, one config, or a preferred-architecture file (bin key -> configs).")
  Path archs;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    List<ArchitectureEntry> entries;
    try {
      entries = ArchitectureJson.read(archs, searchSpace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    for (ArchitectureEntry entry : entries) {
      Architecture arch = entry.architecture();
      try {
        searchSpace.validate(arch);
      } catch (SpaceException e) {
        throw new CliException("architecture " + entry.label() + " of " + archs + " is outside space "
            + searchSpace.name() + ": " + e.getMessage());
      }
      ObjectNode item = result.addObject();
      item.put("id", arch.id());
      if (entry.binKey() != null) {
        item.put("bin", entry.binKey());
      }
      item.set("config", searchSpace.writeArchitecture(arch));
      item.put("params", searchSpace.params(arch));
      item.put("flops", new BigDecimal(searchSpace.flops(arch))); // exact: 1379653176, not 1.379653176E9
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.println(JSON.writeValueAsString(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a plain tree always serialises
    }
    out.flush();
  }
}
