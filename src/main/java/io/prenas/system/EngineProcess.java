package io.prenas.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prenas.fileio.AtomicFiles;
import io.prenas.job.EngineProcessFailure;
import io.prenas.job.JobProgress;
import io.prenas.job.ProgressLines;
import io.prenas.job.SelectionEngine;
import io.prenas.job.TrainingEngine;
import io.prenas.observability.TrainingMetrics;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceLoader;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine process of one job ({@code java ... io.prenas.Main engine-process <request> <result>}), started by its
 * worker ({@link EngineProcessRun}) when {@code prenas.worker.isolation} is {@code process}: it runs one call of an
 * engine port (selection, training, evaluation or export) with the very adapters a worker uses in its own JVM, so a
 * job that exhausts this process's heap or native memory takes only this process down.
 *
 * <p>No Spring, no database: the request file names everything (the space's YAML, paths, options); progress goes
 * to the worker as messages on stdout ({@value #PREFIX} then a JSON object: {@link ProgressLines}, checkpoints); the
 * worker answers on stdin ({@code cancel}; {@code ack} or {@code nack <reason>} for each checkpoint, once it is
 * stored). The result, or the failure as this process classified it, is written atomically to the result file.
 * Exit code 0: a result; 2: a failure or a cancellation in the result file; anything else: the process died (heap
 * exhaustion exits with 3, {@code -XX:+ExitOnOutOfMemoryError}). When stdin closes, the worker is gone, and so is
 * this process.
 */
public final class EngineProcess {

  /** The first argument of {@code io.prenas.Main} that runs an engine process. */
  public static final String COMMAND = "engine-process";
  /** Marks the lines of stdout that are messages to the worker (anything else a library prints is only logged). */
  static final String PREFIX = "@prenas-engine ";
  static final int EXIT_RESULT = 0;
  static final int EXIT_FAILED = 2;
  /** Parent gone (stdin closed): nothing left to report to. */
  static final int EXIT_ORPHANED = 4;

  private final PrintStream out;
  private volatile boolean cancelled;
  private final BlockingQueue<String> acks = new LinkedBlockingQueue<>();

  private EngineProcess(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Only the messages go to stdout: anything else printed there by Java code goes to stderr.
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    if (args.length != 2) {
      System.err.println("usage: " + COMMAND + " <request.json> <result.json>");
      Runtime.getRuntime().halt(64);
    }
    int code = new EngineProcess(protocol).run(Path.of(args[0]), Path.of(args[1]));
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  private int run(Path requestFile, Path resultFile) {
    Path storageDir = Path.of("."); // until the request names it
    try {
      JsonNode request = EngineMessages.JSON.readTree(requestFile.toFile());
      storageDir = Path.of(request.path("storageDir").asText("."));
      listenToWorker();
      JsonNode result = call(request);
      ObjectNode done = EngineMessages.JSON.createObjectNode();
      done.set("result", result);
      AtomicFiles.writeString(resultFile, AtomicFiles.Sync.NONE, done.toString());
      return EXIT_RESULT;
    } catch (Throwable t) { // everything, OutOfMemoryError included: the worker gets it classified
      t.printStackTrace(System.err);
      try {
        EngineProcessFailure.Classified c = EngineProcessFailure.classify(t, storageDir);
        ObjectNode failed = EngineMessages.JSON.createObjectNode();
        if (c.failureClass() == null) {
          failed.put("cancelled", true);
        } else {
          failed.putObject("failed").put("failureClass", c.failureClass().name()).put("reason", c.reason());
        }
        // On stdout first: with a full or read-only disk the result file cannot be written either.
        send(failed.deepCopy().put("k", "outcome"));
        AtomicFiles.writeString(resultFile, AtomicFiles.Sync.NONE, failed.toString());
      } catch (Throwable again) {
        again.printStackTrace(System.err); // no result file: the worker classifies the exit
      }
      return EXIT_FAILED;
    }
  }

  private JsonNode call(JsonNode request) throws Exception {
    SearchSpace space = space(request.path("space"));
    UUID jobId = UUID.fromString(request.path("jobId").asText());
    JobProgress progress = ProgressLines.writingTo(jobId, this::send, () -> cancelled, EngineMessages.JSON,
        Duration.ofMillis(request.path("progressIntervalMillis").asLong(2000)));
    EngineProperties engine = new EngineProperties(request.path("engineThreads").asInt());
    JsonNode t = request.path("training");
    TrainingProperties training = EngineMessages.JSON.treeToValue(t, TrainingProperties.class);
    JsonNode c = request.path("command");
    String operation = request.path("operation").asText();
    switch (operation) {
      case "select" -> {
        SelectionEngine.Outcome o = new SelectorEngineAdapter(engine).select(EngineMessages.selection(space, c),
            progress);
        return EngineMessages.outcome(space, o);
      }
      case "train" -> {
        TrainingEngine.TrainingOutcome o = trainer(training, engine).train(EngineMessages.training(space, c),
            progress, this::handOver);
        return EngineMessages.outcome(o);
      }
      case "evaluate" -> {
        return EngineMessages.accuracies(space, trainer(training, engine).evaluate(EngineMessages.evaluation(space,
            c), progress));
      }
      case "export" -> {
        return EngineMessages.exported(space, trainer(training, engine).export(space,
            Path.of(c.path("supernetWeights").asText()), EngineMessages.architectures(space, c.path("architectures")),
            Path.of(c.path("dir").asText()), EngineMessages.recalibration(c)));
      }
      default -> throw new IllegalArgumentException("unknown engine operation '" + operation + "'");
    }
  }

  private static TrainingEngineAdapter trainer(TrainingProperties training, EngineProperties engine) {
    return new TrainingEngineAdapter(training, engine, new TrainingMetrics(new SimpleMeterRegistry()));
  }

  /** The space as the worker's catalog has it: a built-in by name, or a registered space from its YAML. */
  static SearchSpace space(JsonNode s) {
    String name = s.path("name").asText();
    return s.path("builtIn").asBoolean() ? SearchSpaces.builtIn(name) : SpaceLoader.parse(name,
        s.path("yaml").asText());
  }

  /** A checkpoint is the worker's to store before the trainer may replace it: wait for its answer. */
  private void handOver(TrainingEngine.CheckpointFile checkpoint) throws Exception {
    send(EngineMessages.checkpoint(checkpoint));
    String answer = acks.take();
    if (!answer.equals("ack")) {
      throw new IOException(answer.startsWith("nack ") ? answer.substring(5) : "unexpected answer: " + answer);
    }
  }

  private synchronized void send(ObjectNode message) {
    out.println(PREFIX + message);
    out.flush();
  }

  private void listenToWorker() {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.equals("cancel")) {
            cancelled = true;
          } else {
            acks.add(line);
          }
        }
      } catch (IOException e) {
        // as if closed
      }
      System.err.println("engine process: the worker closed stdin (it stopped); exiting");
      Runtime.getRuntime().halt(EXIT_ORPHANED);
    }, "prenas-engine-stdin");
    t.setDaemon(true);
    t.start();
  }
}
