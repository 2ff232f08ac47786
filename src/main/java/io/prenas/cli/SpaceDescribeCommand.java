package io.prenas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code space describe <space|file>}: the supernet, model settings, choices, size and resource range of a space. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Describe a search space: a built-in name (autoformer-tiny, autoformer-small, autoformer-base) "
        + "or a YAML file.")
final class SpaceDescribeCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<space|file>", description = "Built-in space name or space YAML file.")
  String space;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  @Override
  public void run() {
    SearchSpace searchSpace = SearchSpaces.resolve(space);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(JSON.writeValueAsString(searchSpace.describe()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e); // a plain tree always serialises
      }
    } else {
      out.print(searchSpace.describeText());
    }
    out.flush();
  }

}
