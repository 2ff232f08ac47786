package io.prenas;

import io.prenas.cli.PrenasCli;
import io.prenas.supernet.MklCpuDispatch;
import io.prenas.system.EngineProcess;
import io.prenas.system.PrenasServer;

/**
 * Entry point of {@code prenas.jar}. Without arguments, with {@code serve}, or with Spring properties ({@code --key=value}), it starts the server (which keeps the JVM alive); any other
 * first argument is a command-line tool command ({@code java -jar prenas.jar --help} lists them).
 */
public final class Main {

  private Main() {}

  /** {@code --key=value} arguments go to the server, as Spring Boot properties (e.g. {@code --server.port=9090}). */
  static boolean isSpringProperty(String arg) {
    return arg.startsWith("--") && arg.indexOf('=') > 2;
  }

  public static void main(String[] args) {
    // DJL must stay offline: the PyTorch natives ship in the jar. Set before any Engine call.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    MklCpuDispatch.install(); // before libtorch loads: MKL picks its kernels at the first call
    if (args.length == 0 || isSpringProperty(args[0])) {
      PrenasServer.start(args);
      return;
    }
    if (!"serve".equals(args[0]) && System.getProperty("logback.configurationFile") == null) {
      // Command-line runs log warnings to stderr only; must be set before the first logger is created.
      System.setProperty("logback.configurationFile", "logback-cli.xml");
    }
    if (EngineProcess.COMMAND.equals(args[0])) {
      // A job's engine process, started by its worker (prenas.worker.isolation=process); not a user command.
      EngineProcess.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int code = PrenasCli.run(args);
    if (!PrenasServer.isRunning()) {
      System.exit(code);
    }
  }
}
