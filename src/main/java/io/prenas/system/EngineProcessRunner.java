package io.prenas.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.fileio.AtomicFiles;
import io.prenas.job.EngineProcessFailure;
import io.prenas.job.FailureClass;
import io.prenas.job.JobCancelledException;
import io.prenas.job.JobMemory;
import io.prenas.job.JobProgress;
import io.prenas.job.JobsProperties;
import io.prenas.job.ProgressLines;
import io.prenas.job.TrainingEngine;
import io.prenas.space.SearchSpace;
import io.prenas.storage.StorageProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call of an engine port in an engine process of its own ({@link EngineProcess}) and waits for it, on the
 * job's thread: the request goes to a file in the job's work folder ({@code <storage>/jobs/<id>/engine/}), progress
 * messages are written to the job's row as they come, each checkpoint is handed to the job's sink and answered,
 * the job's cancellation is passed on (and the process terminated, then killed, when it does not stop within
 * {@code prenas.worker.child.cancel-grace}), an interrupted worker kills it. The result file gives the outcome; a
 * process that died without one is classified by how it died: heap exhaustion ({@code ExitOnOutOfMemoryError}),
 * native exhaustion (the JVM's or libtorch's words on stderr, a SIGKILL, most likely the kernel's out-of-memory
 * killer) are {@link FailureClass#OUT_OF_MEMORY}; a stop from outside (SIGTERM, SIGINT) is transient; anything else
 * is deterministic, with the last words of its stderr.
 */
final class EngineProcessRunner {

  private static final Logger LOG = LoggerFactory.getLogger(EngineProcessRunner.class);
  private static final int STDERR_LINES_KEPT = 40;
  private static final String EOF = "\u0000eof";
  private static final Duration KILL_AFTER_TERMINATE = Duration.ofSeconds(5);
  private static final int SIGKILL_EXIT = 128 + 9;

  private final EngineProcessLauncher launcher;
  private final SpaceCatalog spaces;
  private final Path storageDir;
  private final Duration progressInterval;
  private final Duration cancelGrace;
  private final EngineProperties engine;
  private final TrainingProperties training;

  EngineProcessRunner(EngineProcessProperties child, JobMemory memory, SpaceCatalog spaces,
      StorageProperties storage, JobsProperties jobs, EngineProperties engine, TrainingProperties training) {
    long heap = child.heap() != null ? child.heap().toBytes() : EngineProcessLauncher.defaultHeap();
    long nativeMemory = child.nativeMemory() != null ? child.nativeMemory().toBytes() : memory.budget();
    long reserve = child.addressSpaceReserve().toBytes();
    if (training.device().startsWith("gpu") && reserve > 0) {
      // CUDA maps tens of GB of address space it never uses: under RLIMIT_AS it would not even start.
      LOG.warn("prenas.training.device={}: the engine processes get no address-space limit (CUDA reserves more "
          + "than any limit could allow); set prenas.worker.child.address-space-reserve=0 to say so", training.device());
      reserve = 0;
    }
    this.launcher = new EngineProcessLauncher(heap, nativeMemory, reserve, child.youngGeneration().toBytes());
    this.spaces = spaces;
    this.storageDir = storage.dir().toAbsolutePath().normalize();
    this.progressInterval = jobs.progressInterval();
    this.cancelGrace = child.cancelGrace();
    this.engine = engine;
    this.training = training;
    LOG.info("jobs run their engine work in processes of their own: {}", launcher.limits());
  }

  /**
   * Runs {@code operation} on {@code command} in an engine process.
   *
   * @param progress the job's progress, or {@code null} for a call without one (an export): then nothing is relayed
   * @param checkpoints receives the training's checkpoints; {@code null} for other calls
   * @return the result the process wrote
   */
  JsonNode call(String operation, SearchSpace space, ObjectNode command, JobProgress progress,
      TrainingEngine.CheckpointSink checkpoints) throws Exception {
    return call(operation, space, command, progress, checkpoints, m -> { });
  }

  /** Like {@link #call(String, SearchSpace, ObjectNode, JobProgress, TrainingEngine.CheckpointSink)}, showing each
   * progress message to {@code progressTap} too (the training's meters). */
  JsonNode call(String operation, SearchSpace space, ObjectNode command, JobProgress progress,
      TrainingEngine.CheckpointSink checkpoints, Consumer<JsonNode> progressTap) throws Exception {
    UUID jobId = progress != null ? progress.jobId() : UUID.randomUUID();
    Path dir = storageDir.resolve("jobs").resolve(jobId.toString()).resolve("engine")
        .resolve(operation + "-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(dir);
    try {
      Path request = dir.resolve("request.json");
      Path result = dir.resolve("result.json");
      AtomicFiles.writeString(request, AtomicFiles.Sync.NONE, request(jobId, operation, space, command).toString());
      if (progress != null) {
        progress.log("engine process: " + operation + " (" + launcher.limits() + ")");
      }
      return new Call(launcher.start(request, result), result, progress, checkpoints, progressTap).await();
    } finally {
      delete(dir);
    }
  }

  private ObjectNode request(UUID jobId, String operation, SearchSpace space, ObjectNode command) {
    SpaceInfo info = spaces.get(space.name());
    if (info.space() != space && (info.space().imageSize() != space.imageSize()
        || !info.space().supernetSize().equals(space.supernetSize()))) {
      throw new IllegalStateException("space " + space.name() + " is not the catalog's: only a catalog space can "
          + "be sent to an engine process");
    }
    ObjectNode r = EngineMessages.JSON.createObjectNode();
    r.put("jobId", jobId.toString());
    r.put("operation", operation);
    r.putObject("space").put("name", info.name()).put("builtIn", info.builtIn()).put("yaml", info.yaml());
    r.put("storageDir", storageDir.toString());
    r.put("progressIntervalMillis", progressInterval.toMillis());
    r.put("engineThreads", engine.threads());
    r.set("training", EngineMessages.JSON.valueToTree(training)); // the worker's settings, whole
    r.set("command", command);
    return r;
  }

  /** One engine process, from its start to its outcome. */
  private final class Call {

    private final Process process;
    private final Path result;
    private final JobProgress progress;
    private final TrainingEngine.CheckpointSink checkpoints;
    private final Consumer<JsonNode> progressTap;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Writer stdin;
    private long cancelledAt = -1;
    private boolean terminated;
    private long lastCancelCheck;
    private JsonNode reported;

    Call(Process process, Path result, JobProgress progress, TrainingEngine.CheckpointSink checkpoints,
        Consumer<JsonNode> progressTap) {
      this.process = process;
      this.progressTap = progressTap;
      this.result = result;
      this.progress = progress;
      this.checkpoints = checkpoints;
      this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      pump(process.getInputStream(), "stdout", stdout::add, () -> stdout.add(EOF));
      pump(process.getErrorStream(), "stderr", this::keepError, () -> { });
    }

    JsonNode await() throws Exception {
      try {
        for (;;) {
          String line = stdout.poll(250, TimeUnit.MILLISECONDS);
          if (line == EOF) {
            break;
          }
          if (line != null) {
            handle(line);
          }
          watchCancellation();
        }
        process.waitFor();
        return outcome();
      } catch (InterruptedException e) {
        // The worker is stopping: the engine process goes with it; the job is picked up again (transient).
        process.destroyForcibly();
        throw e;
      } finally {
        if (process.isAlive()) {
          process.destroyForcibly();
        }
      }
    }

    private void handle(String line) throws IOException {
      if (!line.startsWith(EngineProcess.PREFIX)) {
        keepError(line); // the JVM's own last words ("Terminating due to java.lang.OutOfMemoryError") come here
        return;
      }
      JsonNode m = EngineMessages.JSON.readTree(line.substring(EngineProcess.PREFIX.length()));
      switch (m.path("k").asText()) {
        case ProgressLines.KIND -> {
          if (progress != null) {
            ProgressLines.apply(m, progress);
          }
          progressTap.accept(m);
        }
        case "checkpoint" -> answer(storeCheckpoint(m));
        case "outcome" -> reported = m; // a failure, also in the result file unless the disk refused it
        default -> LOG.warn("engine process {}: unknown message {}", process.pid(), line);
      }
    }

    private String storeCheckpoint(JsonNode m) {
      if (checkpoints == null) {
        return "nack no checkpoint expected from this call";
      }
      try {
        checkpoints.written(EngineMessages.checkpoint(m));
        return "ack";
      } catch (Exception e) {
        LOG.warn("engine process {}: checkpoint not stored", process.pid(), e);
        return ("nack could not store checkpoint " + m.path("file").asText() + ": " + e).replace('\n', ' ');
      }
    }

    private void answer(String line) {
      try {
        stdin.write(line + "\n");
        stdin.flush();
      } catch (IOException e) {
        LOG.debug("engine process {} gone before its answer: {}", process.pid(), e.getMessage());
      }
    }

    /** Passes a cancellation on; terminates, then kills, a process that does not stop within the grace. */
    private void watchCancellation() {
      long now = System.nanoTime();
      if (progress == null) {
        return;
      }
      if (cancelledAt < 0) {
        if (now - lastCancelCheck < 1_000_000_000L) {
          return;
        }
        lastCancelCheck = now;
        if (progress.cancelRequested()) {
          cancelledAt = now;
          answer("cancel");
        }
        return;
      }
      long waited = now - cancelledAt;
      if (!terminated && waited > cancelGrace.toNanos()) {
        terminated = true;
        LOG.warn("engine process {} did not stop within {} of the cancel; terminating it", process.pid(),
            cancelGrace);
        process.destroy();
      } else if (terminated && waited > cancelGrace.plus(KILL_AFTER_TERMINATE).toNanos() && process.isAlive()) {
        process.destroyForcibly();
      }
    }

    private JsonNode outcome() throws IOException {
      int exit = process.exitValue();
      if (Files.exists(result) || reported != null) {
        JsonNode r = Files.exists(result) ? EngineMessages.JSON.readTree(result.toFile()) : reported;
        if (r.has("result")) {
          return r.get("result");
        }
        if (r.path("cancelled").asBoolean()) {
          throw new JobCancelledException();
        }
        JsonNode f = r.path("failed");
        FailureClass c = FailureClass.valueOf(f.path("failureClass").asText(FailureClass.DETERMINISTIC.name()));
        String reason = f.path("reason").asText();
        throw new EngineProcessFailure(c, c == FailureClass.OUT_OF_MEMORY ? reason + " [engine process: "
            + launcher.limits() + "]" : reason);
      }
      if (cancelledAt >= 0) {
        throw new JobCancelledException(); // stopped on its cancel, by itself or by us
      }
      throw died(exit);
    }

    /** A process that ended without a result file, classified by its exit and its last words. */
    private EngineProcessFailure died(int exit) {
      String words;
      synchronized (stderr) {
        words = String.join("\n", stderr);
      }
      String lower = words.toLowerCase(Locale.ROOT);
      String last = lastLine(words);
      LOG.error("engine process {} died (exit {}) without a result; its last words:\n{}", process.pid(), exit,
          words);
      if (lower.contains("outofmemoryerror: java heap space") || lower.contains("gc overhead limit exceeded")) {
        return new EngineProcessFailure(FailureClass.OUT_OF_MEMORY, "out of memory (Java heap) in the job's engine "
            + "process at this job's size: " + last + "; a smaller batchSize, or a larger "
            + "prenas.worker.child.heap, may fit [engine process: " + launcher.limits() + "]");
      }
      if (lower.contains("outofmemoryerror") || lower.contains("insufficient memory for the java runtime")
          || lower.contains("std::bad_alloc") || lower.contains("cannot allocate memory")
          || lower.contains("can't allocate memory") || lower.contains("out of memory")) {
        return new EngineProcessFailure(FailureClass.OUT_OF_MEMORY, "out of native memory in the job's engine "
            + "process at this job's size: " + last + "; a smaller batchSize, or more "
            + "prenas.worker.child.native-memory, may fit [engine process: " + launcher.limits() + "]");
      }
      if (exit == SIGKILL_EXIT) {
        return new EngineProcessFailure(FailureClass.OUT_OF_MEMORY, "the job's engine process was killed (SIGKILL), "
            + "most likely by the kernel's out-of-memory killer: the machine or container ran out of memory at this "
            + "job's size [engine process: " + launcher.limits() + "]");
      }
      if (exit == 128 + 15 || exit == 128 + 2 || exit == EngineProcess.EXIT_ORPHANED) {
        return new EngineProcessFailure(FailureClass.TRANSIENT, "the job's engine process was stopped from outside "
            + "(exit " + exit + ")");
      }
      if (exit == EngineProcessLauncher.EXIT_NO_LIMIT) {
        return new EngineProcessFailure(FailureClass.DETERMINISTIC, "could not start the job's engine process "
            + "under its address-space limit (" + launcher.limits() + "): " + last);
      }
      return new EngineProcessFailure(FailureClass.DETERMINISTIC, "the job's engine process died (exit " + exit
          + (exit > 128 ? ", signal " + (exit - 128) : "") + ") without a result" + (last.isEmpty() ? "" : ": "
          + last));
    }

    private void keepError(String line) {
      LOG.info("engine process {}: {}", process.pid(), line);
      synchronized (stderr) {
        stderr.addLast(line);
        while (stderr.size() > STDERR_LINES_KEPT) {
          stderr.removeFirst();
        }
      }
    }

    private void pump(InputStream in, String name, Consumer<String> lines, Runnable atEnd) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.accept(line);
          }
        } catch (IOException e) {
          LOG.debug("engine process {} {}: {}", process.pid(), name, e.getMessage());
        } finally {
          atEnd.run();
        }
      }, "prenas-engine-" + name + "-" + process.pid());
      t.setDaemon(true);
      t.start();
    }
  }

  /** The most telling line of stderr: the last that names an error, else the last. */
  static String lastLine(String words) {
    String[] lines = words.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].strip();
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.contains("error") || lower.contains("memory") || lower.contains("terminating")) {
        return l.length() > 500 ? l.substring(0, 500) : l;
      }
    }
    String l = lines[lines.length - 1].strip();
    return l.length() > 500 ? l.substring(0, 500) : l;
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not clean {}: {}", dir, e.getMessage());
    }
  }
}
