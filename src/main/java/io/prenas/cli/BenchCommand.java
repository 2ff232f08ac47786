package io.prenas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: benchmarks that write a results file. Speed and memory are measured here, never in timed unit
 * tests; figures are reported as ratios against a baseline measured in the same run where one exists.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (results are printed and written as JSON).",
    subcommands = {
        BenchSelectCommand.class,
        BenchExactSelectCommand.class,
        BenchTrainStepCommand.class,
        BenchLoadCommand.class,
        BenchDataCommand.class,
    })
final class BenchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
