package io.prenas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI with captured output, for tests. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** A bad-input failure: exit 2, nothing on stdout, exactly one line on stderr without a stack trace. */
  String singleErrorLine() {
    org.assertj.core.api.Assertions.assertThat(exitCode).as("exit code; stderr: " + err).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(err.strip().lines()).as(err).hasSize(1);
    org.assertj.core.api.Assertions.assertThat(err).startsWith("error: ").doesNotContain("\tat ");
    return err.strip();
  }
}
