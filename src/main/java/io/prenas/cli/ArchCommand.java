package io.prenas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code arch}: work with architecture files. */
@Command(name = "arch", mixinStandardHelpOptions = true, description = "Work with architecture files.",
    subcommands = {
        ArchStatsCommand.class,
    })
final class ArchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
