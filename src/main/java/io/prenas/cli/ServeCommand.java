package io.prenas.cli;

import io.prenas.system.PrenasServer;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code serve}: starts the HTTP server (the same as running the jar without arguments). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the server. Extra arguments are Spring Boot properties, e.g. --server.port=9090.")
final class ServeCommand implements Runnable {

  @Parameters(arity = "0..*", description = "Spring Boot arguments (--key=value).")
  List<String> springArgs = List.of();

  @Override
  public void run() {
    PrenasServer.start(springArgs.toArray(String[]::new));
  }
}
