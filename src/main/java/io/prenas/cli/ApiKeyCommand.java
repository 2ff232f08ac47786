package io.prenas.cli;

import io.prenas.security.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apikey}: creates API keys and the {@code prenas.security.api-keys} entries that hold their hashes, so that
 * nobody computes a hash by hand (and no key has to appear on a command line, where shell history would keep it).
 */
@Command(name = "apikey", mixinStandardHelpOptions = true,
    description = "Create API keys and their prenas.security.api-keys entries.",
    subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.Hash.class})
final class ApiKeyCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by both sub-commands: the entry's name and scope. */
  static final class EntryOptions {

    @Option(names = "--name", required = true, description = "Name of the key (letters, digits, '.', '_', '-').")
    String name;

    @Option(names = "--scope", defaultValue = "write", description = "read or write (default: ${DEFAULT-VALUE}).")
    String scope;

    ApiKeys.Scope scope() {
      return ApiKeys.Scope.fromConfigName(scope)
          .orElseThrow(() -> new CliException("--scope must be read or write, not '" + scope + "'"));
    }

    String entry(String key) {
      if (!ApiKeys.validName(name)) {
        throw new CliException("--name must be 1-64 letters, digits, '.', '_' or '-', not '" + name + "'");
      }
      return ApiKeys.entry(name, scope(), key);
    }
  }

  /** What both sub-commands share: the entry options and printing to picocli's output. */
  abstract static class EntryCommand implements Runnable {

    @CommandLine.Mixin
    EntryOptions options = new EntryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    void print(String... lines) {
      PrintWriter out = spec.commandLine().getOut();
      for (String line : lines) {
        out.println(line);
      }
      out.flush();
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Print a fresh random key and its configuration entry. Give the key to the client and add the "
          + "entry to prenas.security.api-keys (comma-separated); the server never sees the key itself.")
  static final class Create extends EntryCommand {

    @Override
    public void run() {
      String key = ApiKeys.newKey();
      String entry = options.entry(key);
      print("key:   " + key, "entry: " + entry);
    }
  }

  @Command(name = "hash", mixinStandardHelpOptions = true,
      description = "Read an existing key from the first line of standard input and print its configuration "
          + "entry.")
  static final class Hash extends EntryCommand {

    @Override
    public void run() {
      String key;
      try {
        key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        throw new CliException("cannot read the key from standard input: " + e.getMessage());
      }
      if (key == null || key.strip().isEmpty()) {
        throw new CliException("no key on standard input (e.g. printf %s \"$KEY\" | prenas apikey hash --name ci)");
      }
      // The filter strips the presented key the same way.
      print(options.entry(key.strip()));
    }
  }
}
