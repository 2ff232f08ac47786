package io.prenas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prenas.space.SpaceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line face of {@code prenas.jar}. Every sub-command is a small class in this package.
 *
 * <p>Exit codes: 0 success; 2 bad input (usage error, missing or malformed file, an architecture outside its space,
 * ...), reported as a single line on stderr without a stack trace; 1 an unexpected internal failure (also one
 * line; {@code PRENAS_DEBUG=1} prints the stack trace).
 */
@Command(name = "prenas", mixinStandardHelpOptions = true, versionProvider = PrenasCli.Version.class,
    description = "PreNAS Server: preferred one-shot neural architecture search for Vision Transformers.",
    subcommands = {
        ServeCommand.class,
        BenchCommand.class,
        SelectCommand.class,
        ForwardCommand.class,
        ExportCommand.class,
        ConvertCommand.class,
        PreprocessCommand.class,
        SpaceCommand.class,
        ArchCommand.class,
        TrainCommand.class,
        EvalCommand.class,
        ProxyQualityCommand.class,
        ApiKeyCommand.class,
        EngineCommand.class,
    })
public final class PrenasCli implements Runnable {

  /** Exit code for bad input. */
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the tool and returns its exit code (never calls {@link System#exit}). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the tool with the given output streams; for tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new PrenasCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine.getErr()));
    cli.setParameterExceptionHandler((ex, args1) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage());
      ex.getCommandLine().getErr().println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help')");
      return EXIT_BAD_INPUT;
    });
    return cli.execute(args);
  }

  private static int report(Exception ex, PrintWriter err) {
    Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    int code;
    String message;
    if (cause instanceof CliException || cause instanceof SpaceException) {
      code = EXIT_BAD_INPUT;
      message = cause.getMessage();
    } else if (cause instanceof JsonProcessingException jp) {
      code = EXIT_BAD_INPUT;
      message = "malformed input" + (jp.getLocation() == null || jp.getLocation().getLineNr() <= 0 ? ""
          : " at line " + jp.getLocation().getLineNr()) + ": " + jp.getOriginalMessage();
    } else if (cause instanceof NoSuchFileException nf) {
      code = EXIT_BAD_INPUT;
      message = "file not found: " + nf.getFile();
    } else if (cause instanceof AccessDeniedException ad) {
      code = EXIT_BAD_INPUT;
      message = "permission denied: " + ad.getFile();
    } else if (cause instanceof IOException io) {
      code = EXIT_BAD_INPUT;
      message = "I/O error: " + io.getMessage();
    } else {
      code = 1;
      message = "internal error: " + cause;
    }
    err.println("error: " + oneLine(message));
    if (System.getenv("PRENAS_DEBUG") != null) {
      cause.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** Version from the jar manifest (falls back to "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PrenasCli.class.getPackage().getImplementationVersion();
      return new String[] {"prenas " + (v == null ? "dev" : v)};
    }
  }
}
