package io.prenas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code space}: inspect search spaces. */
@Command(name = "space", mixinStandardHelpOptions = true, description = "Inspect search spaces.",
    subcommands = {
        SpaceDescribeCommand.class,
    })
final class SpaceCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
